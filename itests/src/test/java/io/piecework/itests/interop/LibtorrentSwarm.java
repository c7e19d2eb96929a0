package io.piecework.itests.interop;

import static io.piecework.itests.interop.SeededPayload.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.MetainfoParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A three-file torrent made by libtorrent 2.0.8 (v2-only or hybrid, by the kind asked for), its
 * file sizes off every piece boundary so that pads stand between the files, moved between
 * libtorrent and Piecework on loopback: files must arrive byte for byte, pads never written.
 * The set-up and the two directions of the v2-only and hybrid swarm tests.
 */
final class LibtorrentSwarm {
    private static final long MIB = 1 << 20;
    private final Path dir;
    final Path seedDir;
    final Path torrentFile;
    final TorrentMetainfo meta;
    private final Path node;

    private LibtorrentSwarm(Path dir, Path seedDir, Path torrentFile, TorrentMetainfo meta, Path node) {
        this.dir = dir;
        this.seedDir = seedDir;
        this.torrentFile = torrentFile;
        this.meta = meta;
        this.node = node;
    }

    /** The payload in {@code dir/seed} and libtorrent's torrent of it; {@code kind} is lt_meta.py's flag (--v2, --hybrid). */
    static LibtorrentSwarm create(Path dir, String torrentName, String kind) throws Exception {
        Path seedDir = dir.resolve("seed");
        Path root = seedDir.resolve("payload");
        Payloads.file(root.resolve("video.mkv"), 9 * MIB + 12_345, 21);
        Payloads.file(root.resolve("extras/notes.txt"), 777_777, 22);
        Payloads.file(root.resolve("extras/tiny"), 5, 23);
        Path torrentFile = dir.resolve(torrentName);
        Path script = Libtorrent.script("lt_meta.py", dir);
        Libtorrent.run(script, 60, "create", root.toString(), torrentFile.toString(), Integer.toString(64 * 1024), kind);
        return new LibtorrentSwarm(dir, seedDir, torrentFile, MetainfoParser.read(torrentFile),
                Libtorrent.script("lt_node.py", dir));
    }

    /** Piecework downloads the torrent from a libtorrent seeder; the files are then compared. */
    void pieceworkDownloadsFromLibtorrent() throws Exception {
        try (LibtorrentNode seeder = new LibtorrentNode(node, "seed", torrentFile, seedDir);
             InProcessEngine leecher = new InProcessEngine(dir.resolve("state"))) {
            TorrentHandle t = leecher.engine.add(meta, AddOptions.in(dir.resolve("down"))
                    .withPeers(List.of(loopback(seeder.port))));
            t.completion().get(240, TimeUnit.SECONDS);
        }
        assertSameFiles(dir.resolve("down"));
    }

    /** libtorrent downloads the torrent from a Piecework seeder; the files are then compared. */
    void libtorrentDownloadsFromPiecework() throws Exception {
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
        assertSameFiles(meta, seedDir, downloadDir);
    }

    /** Every file of {@code meta} under {@code downloadDir} equals the seed's; pads never written. */
    static void assertSameFiles(TorrentMetainfo meta, Path seedDir, Path downloadDir) throws Exception {
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
