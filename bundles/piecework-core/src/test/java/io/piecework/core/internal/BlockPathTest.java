package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.TorrentState;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * One block's way through a torrent, request to have, with fake connections and storage in
 * memory: no network, no files. Every wait is bounded.
 */
class BlockPathTest {
    private static final int B = PieceTracker.BLOCK;

    @TempDir
    Path dir;

    @Test
    void asksOnlyForBlocksThePeerHasAndEachBlockOnce() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 4)) {
            FakeConnection c = new FakeConnection();
            c.watch(h.torrent.lock::isHeldByCurrentThread);
            PeerSession p = (PeerSession) h.torrent.connected(c);
            p.onBitfield(RoaringBitmap.bitmapOf(2)); // still choked: the strategy asks for nothing yet
            BlockPath blocks = h.torrent.blocks;
            int[] asked = new int[3];
            h.torrent.lock.lock();
            try {
                asked[0] = blocks.request(p, 2, 10);
                asked[1] = blocks.request(p, 1, 10);
                asked[2] = blocks.request(p, 2, 10);
            } finally {
                h.torrent.lock.unlock();
            }
            assertEquals(2, asked[0], "both blocks of the piece it has");
            assertEquals(0, asked[1], "nothing of a piece it lacks");
            assertEquals(0, asked[2], "nothing twice outside endgame");
            assertEquals(2, p.inFlight());
            assertTrue(c.sent().containsAll(List.of("request 2 0 " + B, "request 2 " + B + " " + B)), c.sent().toString());
            assertEquals(0, c.sentUnderLock(), "requests leave after the lock is released");
        }
    }

    @Test
    void aVerifiedPieceIsWrittenAndAnnouncedToEveryPeer() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 4)) {
            FakeConnection a = new FakeConnection();
            FakeConnection b = new FakeConnection();
            PeerSession pa = h.seed(a);
            h.torrent.connected(b);
            TorrentHarness.deliver(pa, 1, 0);
            TorrentHarness.deliver(pa, 1, 1);
            assertTrue(LoopbackEngines.within(10_000, () -> b.count("have 1") == 1), b.sent().toString());
            assertEquals(1, a.count("have 1"));
            assertEquals(2, h.storage().writes.get());
            assertTrue(h.torrent.hasVerified(1));
            assertEquals(2L * B, h.torrent.blocks.verifiedBytes());
        }
    }

    @Test
    void inEndgameABlockFromOnePeerCancelsTheDuplicateRequestAtTheOther() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 1)) {
            FakeConnection a = new FakeConnection();
            FakeConnection b = new FakeConnection();
            PeerSession pa = h.seed(a);
            h.seed(b);
            assertEquals(2, a.count("request 0"));
            assertEquals(2, b.count("request 0"), "endgame: both blocks asked of the second peer too");
            TorrentHarness.deliver(pa, 0, 0);
            assertEquals(List.of("cancel 0 0 " + B), b.sent().stream().filter(m -> m.startsWith("cancel")).toList());
            assertEquals(0, a.count("cancel"));
        }
    }

    @Test
    void aPieceFailingVerificationIsAskedForAgainAndCostsItsSenderTrust() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 2)) {
            h.storage().badPieces.add(0);
            FakeConnection a = new FakeConnection();
            PeerSession pa = h.seed(a);
            assertEquals(2, a.count("request 0"));
            TorrentHarness.deliver(pa, 0, 0);
            TorrentHarness.deliver(pa, 0, 1);
            assertTrue(LoopbackEngines.within(10_000, () -> a.count("request 0") == 4), a.sent().toString());
            assertEquals(0, a.count("have 0"), "a failed piece is not announced");
            assertEquals(1, h.torrent.blocks.hashFailures.get());
            assertEquals(-4, pa.trust, "the only sender of a bad piece is blamed fully");
        }
    }

    /** The disk pool counts written blocks without the torrent's lock: it is the event loop's. */
    @Test
    void writingABlockTakesNoLock() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 12)) {
            PeerSession pa = h.seed(new FakeConnection());
            MemoryStorage storage = h.storage();
            storage.writeGate = new java.util.concurrent.CompletableFuture<>();
            for (int piece = 0; piece < 12; piece++) {
                TorrentHarness.deliver(pa, piece, 0); // the first of two blocks: no hash follows
            }
            long before = h.torrent.lock.acquisitions();
            storage.writeGate.complete(null);
            assertTrue(LoopbackEngines.within(10_000, () -> storage.writes.get() == 12));
            long taken = h.torrent.lock.acquisitions() - before;
            assertTrue(taken < 6, "12 writes took the lock " + taken + " times (a timer tick takes it a few)");
        }
    }

    @Test
    void aBlockOfTheWrongLengthOrOffsetIsDroppedUnwritten() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 2)) {
            PeerSession pa = h.seed(new FakeConnection());
            ByteBuffer shortBlock = pa.pieceDestination(0, 0, 100);
            shortBlock.position(shortBlock.limit()).flip();
            pa.onPiece(0, 0, shortBlock);
            ByteBuffer offset = pa.pieceDestination(0, 1, B);
            offset.position(offset.limit()).flip();
            pa.onPiece(0, 1, offset);
            ByteBuffer beyond = pa.pieceDestination(7, 0, B);
            beyond.position(beyond.limit()).flip();
            pa.onPiece(7, 0, beyond);
            h.torrent.lock.lock();
            try {
                assertFalse(h.torrent.blocks.tracker.inProgress(0).isReceived(0));
            } finally {
                h.torrent.lock.unlock();
            }
            assertEquals(0, h.storage().writes.get());
        }
    }

    @Test
    void aBlockArrivingAfterAStopIsNeitherWrittenNorAnError() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 2)) {
            PeerSession pa = h.seed(new FakeConnection());
            h.torrent.stop();
            TorrentHarness.deliver(pa, 0, 0);
            assertEquals(0, h.storage().writes.get());
            assertEquals(TorrentState.STOPPED, h.torrent.stats().state());
            assertNull(h.torrent.stats().error().orElse(null));
        }
    }
}
