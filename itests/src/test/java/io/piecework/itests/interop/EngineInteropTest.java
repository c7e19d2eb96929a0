package io.piecework.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.MetainfoWriter;
import io.piecework.metainfo.TorrentCreator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Piecework and libtorrent exchange a 256 MiB multi-file torrent on loopback, in both
 * directions and in a three-peer swarm, and every file arrives byte for byte.
 */
class EngineInteropTest {
    static final long MIB = 1 << 20;

    @TempDir
    static Path shared;
    static Path seedDir;
    static Path torrentFile;
    static TorrentMetainfo meta;
    static Path script;

    @TempDir
    Path dir;

    @BeforeAll
    static void makePayload() throws Exception {
        seedDir = shared.resolve("seed");
        Path root = seedDir.resolve("payload");
        Payloads.file(root.resolve("video.mkv"), 150 * MIB + 12_345, 11);
        Payloads.file(root.resolve("extras/commentary.flac"), 100 * MIB, 12);
        Payloads.file(root.resolve("extras/notes.txt"), 6 * MIB - 777, 13);
        meta = TorrentCreator.create(new CreateRequest(root, 256 * 1024, List.of(), List.of(), false, null, 2),
                CreateProgress.NONE);
        torrentFile = shared.resolve("payload.torrent");
        Files.write(torrentFile, MetainfoWriter.write(meta));
        script = Libtorrent.script("lt_node.py", shared);
    }

    @Test
    void pieceworkDownloadsFromALibtorrentSeeder() throws Exception {
        try (LibtorrentNode seeder = new LibtorrentNode(script, "seed", torrentFile, seedDir);
             InProcessEngine leecher = new InProcessEngine(dir.resolve("state"))) {
            TorrentHandle t = leecher.engine.add(meta, AddOptions.in(dir.resolve("down"))
                    .withPeers(List.of(loopback(seeder.port))));
            t.completion().get(240, TimeUnit.SECONDS);
            assertSameFiles(dir.resolve("down"));
        }
    }

    @Test
    void libtorrentDownloadsFromAPieceworkSeeder() throws Exception {
        try (InProcessEngine seeder = new InProcessEngine(dir.resolve("state"))) {
            TorrentHandle t = seeder.engine.add(meta, AddOptions.in(seedDir));
            t.completion().get(120, TimeUnit.SECONDS);
            try (LibtorrentNode leecher = new LibtorrentNode(script, "leech", torrentFile, dir.resolve("lt"),
                    "--peer", Integer.toString(seeder.port()))) {
                leecher.await("DONE", 240);
            }
            assertSameFiles(dir.resolve("lt"));
        }
    }

    @Test
    void aSwarmOfLibtorrentSeederPieceworkLeecherAndLibtorrentLeecherCompletesForAll() throws Exception {
        try (LibtorrentNode seeder = new LibtorrentNode(script, "seed", torrentFile, seedDir);
             InProcessEngine piecework = new InProcessEngine(dir.resolve("state"))) {
            TorrentHandle t = piecework.engine.add(meta, AddOptions.in(dir.resolve("pw"))
                    .withPeers(List.of(loopback(seeder.port))));
            try (LibtorrentNode leecher = new LibtorrentNode(script, "leech", torrentFile, dir.resolve("lt"),
                    "--peer", Integer.toString(seeder.port), "--peer", Integer.toString(piecework.port()))) {
                t.completion().get(240, TimeUnit.SECONDS);
                leecher.await("DONE", 240);
                assertEquals(true, t.stats().uploaded() >= 0);
            }
            assertSameFiles(dir.resolve("pw"));
            assertSameFiles(dir.resolve("lt"));
        }
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    static void assertSameFiles(Path downloadDir) throws IOException {
        for (FileEntry f : meta.files()) {
            Path original = seedDir.resolve(meta.name()).resolve(String.join("/", f.path()));
            Path copy = downloadDir.resolve(meta.name()).resolve(String.join("/", f.path()));
            assertEquals(-1L, Files.mismatch(original, copy), copy + " differs from " + original);
        }
    }
}
