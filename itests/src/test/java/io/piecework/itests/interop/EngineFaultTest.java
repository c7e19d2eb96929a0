package io.piecework.itests.interop;

import static io.piecework.itests.interop.SeededPayload.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentEvent;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentStats;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Peers that lie or vanish: the download still completes, byte for byte. */
class EngineFaultTest {
    static final long MIB = 1 << 20;

    @TempDir
    Path dir;
    SeededPayload payload;

    @BeforeEach
    void makePayload() throws Exception {
        payload = SeededPayload.create(dir, 128 * 1024, root -> {
            Payloads.file(root.resolve("a.bin"), 24 * MIB + 5, 21);
            Payloads.file(root.resolve("b.bin"), 8 * MIB, 22);
        });
    }

    /**
     * The liar is a Piecework seeder whose files were corrupted behind its back, keeping their
     * size and modification time, so its resume data still vouches for every piece.
     */
    @Test
    void aPeerSendingCorruptBlocksIsBannedAndTheDownloadCompletesFromAnHonestPeer() throws Exception {
        Path liarDir = dir.resolve("liar");
        copyTree(payload.seedDir(), liarDir);
        try (InProcessEngine liar = new InProcessEngine(dir.resolve("liar-state"))) {
            liar.engine.add(payload.meta(), AddOptions.in(liarDir)).completion().get(60, TimeUnit.SECONDS);
        }
        corruptKeepingTimes(liarDir.resolve("payload/a.bin"));
        corruptKeepingTimes(liarDir.resolve("payload/b.bin"));

        try (InProcessEngine liar = new InProcessEngine(dir.resolve("liar-state"));
             LibtorrentNode honest = payload.libtorrentSeed("--upload-limit", Integer.toString(4 << 20));
             InProcessEngine leecher = new InProcessEngine(dir.resolve("state"))) {
            TorrentHandle lying = liar.engine.add(payload.meta(), AddOptions.in(liarDir));
            lying.completion().get(60, TimeUnit.SECONDS);
            TorrentHandle t = leecher.engine.add(payload.meta(), AddOptions.in(dir.resolve("down"))
                    .withPeers(List.of(loopback(liar.port()), loopback(honest.port))));
            t.completion().get(180, TimeUnit.SECONDS);
            TorrentStats stats = t.stats();
            assertTrue(stats.hashFailures() > 0, "the liar's pieces failed verification");
            assertEquals(1, stats.bannedPeers(), "the liar was banned");
        }
        payload.assertSameFiles(dir.resolve("down"));
    }

    @Test
    void requestsToAPeerThatVanishesMidPieceGoToAnotherPeer() throws Exception {
        try (LibtorrentNode doomed = payload.libtorrentSeed("--upload-limit", Integer.toString(2 << 20));
             LibtorrentNode steady = payload.libtorrentSeed("--upload-limit", Integer.toString(2 << 20));
             InProcessEngine leecher = new InProcessEngine(dir.resolve("state"))) {
            CountDownLatch fifth = new CountDownLatch(payload.meta().pieceCount() / 5);
            leecher.engine.addListener(e -> {
                if (e.kind() == TorrentEvent.Kind.PIECE_VERIFIED) {
                    fifth.countDown();
                }
            });
            TorrentHandle t = leecher.engine.add(payload.meta(), AddOptions.in(dir.resolve("down"))
                    .withPeers(List.of(loopback(doomed.port), loopback(steady.port))));
            assertTrue(fifth.await(60, TimeUnit.SECONDS), "a fifth of the pieces within 60 s");
            assertTrue(t.stats().piecesVerified() < payload.meta().pieceCount(), "killed before the end");
            assertEquals(2, t.stats().peers(), "both seeders were serving");
            doomed.kill();
            t.completion().get(180, TimeUnit.SECONDS);
        }
        payload.assertSameFiles(dir.resolve("down"));
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
}
