package io.piecework.storage.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.storage.StorageException;
import io.piecework.api.storage.TorrentStorage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Torrents built to escape their folder, bypassing the metainfo parser's sanitising: storage
 * refuses them before creating anything, and a link planted inside the folder is not followed.
 */
class HostileTorrentTest extends StorageFixture {
    @TempDir
    Path sandbox;

    private static TorrentMetainfo torrent(String name, boolean multi, List<List<String>> paths) {
        List<FileEntry> files = new java.util.ArrayList<>();
        long offset = 0;
        for (List<String> path : paths) {
            files.add(new FileEntry(path, 100, offset, false));
            offset += 100;
        }
        int pieces = (int) ((offset + 16383) / 16384);
        return new TorrentMetainfo(InfoHash.of(new byte[20]), name, 16384, new byte[20 * pieces], files, multi,
                List.of(), List.of(), false, null, null, null, new byte[0]);
    }

    private List<Path> everything() throws Exception {
        try (Stream<Path> walk = Files.walk(sandbox)) {
            return walk.filter(p -> !p.equals(sandbox)).sorted().toList();
        }
    }

    @Test
    void createsNothingForTorrentsThatWouldEscapeTheirFolder() throws Exception {
        Path downloads = Files.createDirectories(sandbox.resolve("downloads"));
        Path states = Files.createDirectories(sandbox.resolve("states"));
        FileStorageProvider provider = provider(Settings.DEFAULTS.withStateDir(states), Disk.REAL);
        List<TorrentMetainfo> hostile = List.of(
                torrent("t", true, List.of(List.of("fine"), List.of("..", "escaped"))),
                torrent("t", true, List.of(List.of("a", "..", "..", "escaped"))),
                torrent("t", true, List.of(List.of(sandbox.resolve("absolute").toString()))),
                torrent("t", true, List.of(List.of("/etc", "escaped"))),
                torrent("t", true, List.of(List.of("."))),
                torrent("t", true, List.of(List.of("nul\0byte"))),
                torrent("..", true, List.of(List.of("escaped"))),
                torrent("../escaped", true, List.of(List.of("x"))),
                torrent("..", false, List.of(List.of("..", ".."))),
                torrent("x", false, List.of(List.of("..", "escaped"))));
        for (TorrentMetainfo metainfo : hostile) {
            StorageException e = assertThrows(StorageException.class, () -> await(provider.open(metainfo, downloads)),
                    metainfo.files().toString());
            assertEquals(StorageException.Kind.UNSAFE_PATH, e.kind(), e.getMessage());
        }
        assertEquals(List.of(downloads, states), everything(), "nothing created anywhere");
    }

    @Test
    void refusesToWriteThroughALinkPlantedInsideTheTorrentFolder() throws Exception {
        Path downloads = Files.createDirectories(sandbox.resolve("downloads"));
        Path outside = Files.createDirectories(sandbox.resolve("outside"));
        Files.createDirectories(downloads.resolve("t"));
        Files.createSymbolicLink(downloads.resolve("t/sub"), outside);
        TorrentMetainfo metainfo = torrent("t", true, List.of(List.of("sub", "victim")));
        TorrentStorage storage = await(provider(Settings.DEFAULTS.withStateDir(sandbox.resolve("states")), Disk.REAL)
                .open(metainfo, downloads));
        StorageException e = assertThrows(StorageException.class,
                () -> storage.write(0, 0, ByteBuffer.wrap(new byte[100])));
        assertEquals(StorageException.Kind.UNSAFE_PATH, e.kind(), e.getMessage());
        try (Stream<Path> list = Files.list(outside)) {
            assertEquals(0, list.count(), "nothing written outside");
        }
    }
}
