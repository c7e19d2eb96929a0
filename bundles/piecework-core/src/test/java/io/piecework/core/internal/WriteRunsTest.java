package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Received blocks reach the storage in runs worth a system call, even when the disk keeps up
 * with every block, and none is left unwritten: a piece's last block, the timer and a stop
 * send the rest. Fake connections and storage in memory; every wait is bounded.
 */
class WriteRunsTest {
    private static final int B = PieceTracker.BLOCK;

    @TempDir
    Path dir;

    @Test
    void aPiecesBlocksArrivingOneByOneToAnIdleDiskAreWrittenAsOneRun() throws Exception {
        assertEquals(List.of("0 8"), runsOfOnePiece(8), "offset and blocks: the piece once its last block came");
    }

    @Test
    void aLargePiecesBlocksArrivingOneByOneToAnIdleDiskAreWrittenInRunsOfSixteen() throws Exception {
        assertEquals(List.of("0 16", 16 * B + " 16"), runsOfOnePiece(32));
    }

    /** The runs written when a piece's blocks come one at a time and the disk is idle before each. */
    private List<String> runsOfOnePiece(int blocks) throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 2, blocks)) {
            h.engine.stopTicking(h.torrent.timer); // no flush by the timer in between: only arrivals count
            FakeConnection c = new FakeConnection();
            PeerSession p = h.seed(c);
            int piece = started(c);
            ThreadPoolExecutor disk = (ThreadPoolExecutor) h.engine.disk();
            for (int b = 0; b < blocks; b++) {
                int booked = b + 1;
                TorrentHarness.deliver(p, piece, b);
                // The block is booked and whatever the disk was handed for it is done: it keeps up.
                assertTrue(LoopbackEngines.within(10_000, () -> (arrived(h, piece) == booked || h.torrent.hasVerified(piece))
                        && disk.getActiveCount() == 0 && disk.getQueue().isEmpty()), "block " + b);
            }
            assertTrue(LoopbackEngines.within(10_000, () -> h.torrent.hasVerified(piece)), "written and hashed");
            assertEquals(blocks, h.storage().writes.get());
            return h.storage().runs.stream().map(r -> r.substring(r.indexOf(' ') + 1)).toList();
        }
    }

    @Test
    void aLoneBlockOfAPieceStillArrivingIsWrittenByTheTimer() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 2, 32)) {
            FakeConnection c = new FakeConnection();
            PeerSession p = h.seed(c);
            int piece = started(c);
            TorrentHarness.deliver(p, piece, 3);
            assertTrue(LoopbackEngines.within(10_000, () -> h.storage().writes.get() == 1), "written, no more blocks came");
            assertEquals(List.of(piece + " " + 3 * B + " 1"), h.storage().runs);
        }
    }

    @Test
    void aLoneBlockWaitingForItsPieceGoesBackToThePoolWhenTheTorrentStops() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 2, 32)) {
            h.engine.stopTicking(h.torrent.timer); // only the stop can send it on
            FakeConnection c = new FakeConnection();
            PeerSession p = h.seed(c);
            int piece = started(c);
            BlockBuffers buffers = h.engine.buffers();
            long outstanding = buffers.created() - buffers.spare();
            TorrentHarness.deliver(p, piece, 3);
            assertTrue(LoopbackEngines.within(10_000, () -> arrived(h, piece) == 1), "booked");
            h.torrent.stop();
            assertTrue(LoopbackEngines.within(10_000, () -> buffers.created() - buffers.spare() == outstanding
                    && buffers.held() == 0), "the block's buffer is back: " + (buffers.created() - buffers.spare()));
        }
    }

    /** A piece the strategy started: the first it asked the peer for. */
    private static int started(FakeConnection c) {
        return Integer.parseInt(c.sent().stream().filter(m -> m.startsWith("request ")).findFirst().orElseThrow()
                .split(" ")[1]);
    }

    /** Blocks of the unfinished piece booked as arrived (0 once verified), read under the torrent's lock. */
    private static int arrived(TorrentHarness h, int piece) {
        h.torrent.lock.lock();
        try {
            PartialPiece pp = h.torrent.blocks.tracker.inProgress(piece);
            return pp == null ? 0 : pp.received;
        } finally {
            h.torrent.lock.unlock();
        }
    }
}
