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
    void theStrategysTimeInRequestUpdatesIsCountedForTheStatistics() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 4)) {
            FakeConnection a = new FakeConnection();
            h.seed(a);
            assertTrue(LoopbackEngines.within(10_000, () -> a.sent().stream().anyMatch(m -> m.startsWith("request"))),
                    "the seed was asked: " + a.sent());
            assertTrue(LoopbackEngines.within(10_000, () -> h.torrent.blocks.updateNanos.sum() > 0));
            io.piecework.api.engine.TorrentStats s = TorrentTimer.snapshot(h.torrent, null);
            assertTrue(s.requestUpdates() > 0, "updates ran");
            // More updates may run meanwhile (the timer's): the snapshot is at most the counter read after it.
            assertTrue(s.requestUpdateNanos() > 0 && s.requestUpdateNanos() <= h.torrent.blocks.updateNanos.sum(),
                    "their time is in the statistics: " + s.requestUpdateNanos());
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
    void aPieceIsHashedFromTheBuffersItsBlocksArrivedInWhichThenGoBackToThePool() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 4)) {
            FakeConnection a = new FakeConnection();
            PeerSession pa = h.seed(a);
            for (int block = 1; block >= 0; block--) { // out of order: kept by index, not by arrival
                ByteBuffer b = pa.pieceDestination(2, block * B, B);
                b.put(b.position(), (byte) (block + 7)).position(b.limit()).flip();
                pa.onPiece(2, block * B, b);
            }
            assertTrue(LoopbackEngines.within(10_000, () -> a.count("have 2") == 1), a.sent().toString());
            assertEquals(List.of((byte) 7, (byte) 8), h.storage().hashedFromMemory.get(2),
                    "both blocks, in the piece's order, positioned at their data");
            assertTrue(LoopbackEngines.within(10_000, () -> h.engine.buffers().held() == 0),
                    "held: " + h.engine.buffers().held());
            assertEquals(0, h.torrent.blocks.held.pieces());
        }
    }

    @Test
    void blocksOfAnUnfinishedPieceAreGivenBackWhenTheTorrentStops() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 4)) {
            PeerSession pa = h.seed(new FakeConnection());
            TorrentHarness.deliver(pa, 3, 0);
            assertTrue(LoopbackEngines.within(10_000, () -> h.engine.buffers().held() == 1), "the block waits for its piece");
            h.torrent.stop();
            assertEquals(0, h.engine.buffers().held());
            assertEquals(0, h.torrent.blocks.held.pieces());
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

    /**
     * A piece shared with a sender already banned for bad data is that sender's doing: two web
     * seeds, one corrupting, share many pieces, and the corrupt one's pieces still hashed after
     * its ban cost the honest one its trust, then a ban, then the download (WebSeedIT).
     */
    @Test
    void aFailedPieceSharedWithABannedSenderCostsTheOtherSenderNothing() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 4)) {
            h.storage().badPieces.addAll(List.of(0, 1, 2));
            FakeConnection bad = new FakeConnection();
            FakeConnection good = new FakeConnection();
            PeerSession pBad = h.seed(bad);
            PeerSession pGood = h.seed(good);
            TorrentHarness.deliver(pBad, 2, 0); // its share of piece 2, hashed later
            TorrentHarness.deliver(pBad, 0, 0);
            TorrentHarness.deliver(pBad, 0, 1);
            TorrentHarness.deliver(pBad, 1, 0);
            TorrentHarness.deliver(pBad, 1, 1);
            assertTrue(LoopbackEngines.within(10_000, () -> bad.closedFor != null), "two bad pieces of its own: banned");
            TorrentHarness.deliver(pGood, 2, 1);
            assertTrue(LoopbackEngines.within(10_000, () -> h.torrent.blocks.hashFailures.get() == 3));
            assertEquals(0, pGood.trust, "the shared piece is the banned sender's");
            assertNull(good.closedFor);
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

    /**
     * Each verified piece re-judges our interest in the peers that have it. For a peer that has
     * nearly everything that must not mean walking its pieces (O(n²) over a download, under the
     * lock): the last verifications cost no more than the first. Best of rounds, generous bound.
     */
    @Test
    void interestFollowsThePiecesThePeerHasThatWeStillWant() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 4)) {
            FakeConnection c = new FakeConnection();
            PeerSession p = (PeerSession) h.torrent.connected(c);
            p.onBitfield(RoaringBitmap.bitmapOf(0, 1));
            MemoryStorage storage = h.storage();
            h.torrent.blocks.verified(storage, 0, true, null);
            assertTrue(p.amInterested, "it still has piece 1");
            h.torrent.blocks.verified(storage, 1, true, null);
            assertEquals(List.of("interested", "not-interested"),
                    c.sent().stream().filter(m -> m.endsWith("interested")).toList());
            p.onHave(2);
            assertTrue(p.amInterested, "piece 2 is wanted");
            h.torrent.piecePriority(2, io.piecework.api.engine.Priority.SKIP);
            assertFalse(p.amInterested, "nothing it has is wanted once piece 2 is skipped");
        }
    }

    @Test
    void verifyingAPieceCostsNoMoreNearTheEndThanAtTheStart() throws Exception {
        verifyAllButTheLast(dir.resolve("warm-up")); // the JIT compiles before anything is timed
        long[] firstAndLast = verifyAllButTheLast(dir.resolve("timed"));
        assertTrue(firstAndLast[1] < firstAndLast[0] * 8,
                "first 1024 pieces: " + firstAndLast[0] + " ns, last 1024: " + firstAndLast[1] + " ns");
    }

    /** A peer has all but the last piece; we verify all but its last two. @return ns for the first and last 1024 */
    private static long[] verifyAllButTheLast(Path dir) throws Exception {
        int pieces = 16384;
        java.nio.file.Files.createDirectories(dir);
        try (TorrentHarness h = new TorrentHarness(dir, pieces, 1)) {
            FakeConnection c = new FakeConnection();
            PeerSession p = (PeerSession) h.torrent.connected(c);
            RoaringBitmap all = new RoaringBitmap();
            all.add(0L, pieces - 1); // all but the last: a partial seed we stay interested in
            p.onBitfield(all);
            MemoryStorage storage = h.storage();
            int lastStart = pieces - 2 - 1024; // piece pieces - 2 stays wanted, and the peer has it
            long first = timeVerifying(h, storage, 0, 1024);
            timeVerifying(h, storage, 1024, lastStart - 1024);
            long last = timeVerifying(h, storage, lastStart, 1024);
            assertTrue(p.amInterested, "it still has a piece we want");
            return new long[] {first, last};
        }
    }

    /** Verifies pieces [from, from + count) straight from the hash result; the best of 8 slices' times, times 8. */
    private static long timeVerifying(TorrentHarness h, MemoryStorage storage, int from, int count) {
        int slice = Math.max(1, count / 8);
        long best = Long.MAX_VALUE;
        for (int at = from; at < from + count; at += slice) {
            long start = System.nanoTime();
            for (int piece = at; piece < Math.min(at + slice, from + count); piece++) {
                h.torrent.blocks.verified(storage, piece, true, null);
            }
            best = Math.min(best, System.nanoTime() - start);
        }
        return best * 8;
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
