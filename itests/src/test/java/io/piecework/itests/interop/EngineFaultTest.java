package io.piecework.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.MetainfoWriter;
import io.piecework.metainfo.TorrentCreator;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Peers that lie or vanish: the download still completes, byte for byte. */
class EngineFaultTest {
    static final long MIB = 1 << 20;

    @TempDir
    Path dir;
    Path seedDir;
    Path torrentFile;
    TorrentMetainfo meta;
    Path script;

    @BeforeEach
    void makePayload() throws Exception {
        seedDir = dir.resolve("seed");
        Path root = seedDir.resolve("payload");
        Payloads.file(root.resolve("a.bin"), 24 * MIB + 5, 21);
        Payloads.file(root.resolve("b.bin"), 8 * MIB, 22);
        meta = TorrentCreator.create(new CreateRequest(root, 128 * 1024, List.of(), List.of(), false, null, 2),
                CreateProgress.NONE);
        torrentFile = dir.resolve("payload.torrent");
        Files.write(torrentFile, MetainfoWriter.write(meta));
        script = Libtorrent.script("lt_node.py", dir);
    }

    /**
     * The liar is a Piecework seeder whose files were corrupted behind its back, keeping their
     * size and modification time, so its resume data still vouches for every piece.
     */
    @Test
    void aPeerSendingCorruptBlocksIsBannedAndTheDownloadCompletesFromAnHonestPeer() throws Exception {
        Path liarDir = dir.resolve("liar");
        copyTree(seedDir, liarDir);
        try (InProcessEngine liar = new InProcessEngine(dir.resolve("liar-state"))) {
            liar.engine.add(meta, AddOptions.in(liarDir)).completion().get(60, TimeUnit.SECONDS);
        }
        corruptKeepingTimes(liarDir.resolve("payload/a.bin"));
        corruptKeepingTimes(liarDir.resolve("payload/b.bin"));

        try (InProcessEngine liar = new InProcessEngine(dir.resolve("liar-state"));
             LibtorrentNode honest = new LibtorrentNode(script, "seed", torrentFile, seedDir,
                     "--upload-limit", Integer.toString(4 << 20));
             InProcessEngine leecher = new InProcessEngine(dir.resolve("state"))) {
            TorrentHandle lying = liar.engine.add(meta, AddOptions.in(liarDir));
            lying.completion().get(60, TimeUnit.SECONDS);
            TorrentHandle t = leecher.engine.add(meta, AddOptions.in(dir.resolve("down"))
                    .withPeers(List.of(loopback(liar.port()), loopback(honest.port))));
            t.completion().get(180, TimeUnit.SECONDS);
            TorrentStats stats = t.stats();
            assertTrue(stats.hashFailures() > 0, "the liar's pieces failed verification");
            assertEquals(1, stats.bannedPeers(), "the liar was banned");
        }
        assertSameFiles(dir.resolve("down"));
    }

    @Test
    void requestsToAPeerThatVanishesMidPieceGoToAnotherPeer() throws Exception {
        try (LibtorrentNode doomed = new LibtorrentNode(script, "seed", torrentFile, seedDir,
                "--upload-limit", Integer.toString(2 << 20));
             LibtorrentNode steady = new LibtorrentNode(script, "seed", torrentFile, seedDir,
                     "--upload-limit", Integer.toString(2 << 20));
             InProcessEngine leecher = new InProcessEngine(dir.resolve("state"))) {
            TorrentHandle t = leecher.engine.add(meta, AddOptions.in(dir.resolve("down"))
                    .withPeers(List.of(loopback(doomed.port), loopback(steady.port))));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (t.stats().piecesVerified() < meta.pieceCount() / 5 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            assertTrue(t.stats().piecesVerified() < meta.pieceCount(), "killed before the end");
            assertEquals(2, t.stats().peers(), "both seeders were serving");
            doomed.kill();
            t.completion().get(180, TimeUnit.SECONDS);
        }
        assertSameFiles(dir.resolve("down"));
    }

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    private static void corruptKeepingTimes(Path file) throws IOException {
        FileTime time = Files.getLastModifiedTime(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            for (long pos = 1000; pos < f.length(); pos += 64 * 1024) {
                f.seek(pos);
                int b = f.read();
                f.seek(pos);
                f.write(b ^ 0xff);
            }
        }
        Files.setLastModifiedTime(file, time);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private void assertSameFiles(Path downloadDir) throws IOException {
        for (FileEntry f : meta.files()) {
            Path original = seedDir.resolve(meta.name()).resolve(String.join("/", f.path()));
            Path copy = downloadDir.resolve(meta.name()).resolve(String.join("/", f.path()));
            assertEquals(-1L, Files.mismatch(original, copy), copy + " differs from " + original);
        }
    }
}
