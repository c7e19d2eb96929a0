package io.piecework.itests.interop;

import static io.piecework.itests.interop.SeededPayload.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.TorrentVersion;
import io.piecework.metainfo.MetainfoParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A v2-only torrent (BEP 52) made by libtorrent 2.0.8 moves between libtorrent and Piecework,
 * both ways, files byte for byte: the peers meet under the truncated v2 info-hash, Piecework
 * verifies each piece by its Merkle tree against the torrent's piece layers, and the virtual
 * pads that start each file on a piece are neither written nor asked for as data.
 */
class V2OnlySwarmInteropTest {
    private static final long MIB = 1 << 20;
    @TempDir
    Path dir;
    Path seedDir;
    Path torrentFile;
    TorrentMetainfo meta;
    Path node;

    @BeforeEach
    void v2OnlyByLibtorrent() throws Exception {
        seedDir = dir.resolve("seed");
        Path root = seedDir.resolve("payload");
        // Sizes off every piece boundary, so every file but the last ends inside a piece.
        Payloads.file(root.resolve("video.mkv"), 9 * MIB + 12_345, 21);
        Payloads.file(root.resolve("extras/notes.txt"), 777_777, 22);
        Payloads.file(root.resolve("extras/tiny"), 5, 23);
        torrentFile = dir.resolve("v2.torrent");
        Path meta = Libtorrent.script("lt_meta.py", dir);
        Libtorrent.run(meta, 60, "create", root.toString(), torrentFile.toString(), Integer.toString(64 * 1024),
                "--v2");
        this.meta = MetainfoParser.read(torrentFile);
        assertEquals(TorrentVersion.V2, this.meta.version());
        assertFalse(this.meta.files().stream().noneMatch(FileEntry::padding), "files start pieces: pads between");
        node = Libtorrent.script("lt_node.py", dir);
    }

    @Test
    void pieceworkDownloadsAV2OnlyTorrentFromALibtorrentSeeder() throws Exception {
        try (LibtorrentNode seeder = new LibtorrentNode(node, "seed", torrentFile, seedDir);
             InProcessEngine leecher = new InProcessEngine(dir.resolve("state"))) {
            TorrentHandle t = leecher.engine.add(meta, AddOptions.in(dir.resolve("down"))
                    .withPeers(List.of(loopback(seeder.port))));
            t.completion().get(240, TimeUnit.SECONDS);
        }
        assertSameFiles(dir.resolve("down"));
    }

    @Test
    void libtorrentDownloadsAV2OnlyTorrentFromAPieceworkSeeder() throws Exception {
        try (InProcessEngine seeder = new InProcessEngine(dir.resolve("state"))) {
            TorrentHandle t = seeder.engine.add(meta, AddOptions.in(seedDir));
            t.completion().get(120, TimeUnit.SECONDS);
            try (LibtorrentNode leecher = new LibtorrentNode(node, "leech", torrentFile, dir.resolve("lt"),
                    "--peer", Integer.toString(seeder.port()))) {
                leecher.await("DONE", 240);
            }
        }
        assertSameFiles(dir.resolve("lt"));
    }

    private void assertSameFiles(Path downloadDir) throws Exception {
        for (FileEntry f : meta.files()) {
            Path copy = downloadDir.resolve(meta.name()).resolve(String.join("/", f.path()));
            if (f.padding()) {
                assertFalse(Files.exists(copy) && Files.size(copy) > 0, "pad file written: " + copy);
                continue;
            }
            Path original = seedDir.resolve(meta.name()).resolve(String.join("/", f.path()));
            assertEquals(-1L, Files.mismatch(original, copy), copy + " differs from " + original);
        }
    }
}
