package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PieceTrackerTest {
    private static final int B = PieceTracker.BLOCK;
    private final int[] out = new int[64];
    private final PieceTracker.BlockAsked none = (piece, block) -> false;

    @Test
    void splitsPiecesIntoBlocksWithAShortLastOne() {
        PieceTracker t = new PieceTracker(3, 4L * B, 9L * B + 100);
        assertEquals(4, t.blocks(0));
        assertEquals(2, t.blocks(2));
        assertEquals(B, t.blockLength(2, 0));
        assertEquals(100, t.blockLength(2, 1));
    }

    @Test
    void reservesEachBlockOnceUntilEndgame() {
        PieceTracker t = new PieceTracker(2, 2L * B, 4L * B);
        assertEquals(2, t.reserve(0, 10, none, out));
        assertEquals(0, t.reserve(0, 10, none, out), "blocks in flight are not handed out twice");
        assertFalse(t.endgame());
        assertEquals(2, t.reserve(1, 10, none, out));
        assertTrue(t.endgame(), "every wanted block is in flight");
        assertEquals(2, t.reserve(1, 10, (p, b) -> false, out), "endgame allows one duplicate per block");
        assertEquals(0, t.reserve(1, 10, none, out), "but not a third request");
    }

    @Test
    void releasedBlocksCanBeAskedForAgain() {
        PieceTracker t = new PieceTracker(1, 2L * B, 2L * B);
        t.reserve(0, 10, none, out);
        t.released(0, 1);
        assertEquals(1, t.reserve(0, 10, none, out));
        assertEquals(1, out[0]);
    }

    @Test
    void aPieceIsCompleteOnceVerified() {
        PieceTracker t = new PieceTracker(1, 2L * B, 2L * B);
        t.reserve(0, 10, none, out);
        assertTrue(t.arrived(0, 0, 7));
        assertFalse(t.arrived(0, 0, 8), "a duplicate is dropped");
        assertTrue(t.arrived(0, 1, 8));
        t.verifiedPiece(0);
        assertTrue(t.have(0));
        assertTrue(t.complete());
        assertFalse(t.partial(0));
    }

    @Test
    void aFailedPieceBlamesItsSendersAndIsWantedAgain() {
        PieceTracker t = new PieceTracker(1, 2L * B, 2L * B);
        t.reserve(0, 10, none, out);
        t.arrived(0, 0, 7);
        t.arrived(0, 1, 9);
        long[] blame = t.failed(0);
        java.util.Arrays.sort(blame);
        assertArrayEquals(new long[] {7, 9}, blame);
        assertFalse(t.partial(0));
        assertEquals(2, t.reserve(0, 10, none, out));
    }

    @Test
    void skippedPiecesAreNeitherWantedNorNeededForCompletion() {
        PieceTracker t = new PieceTracker(2, B, 2L * B);
        t.priority(1, 0);
        t.recount();
        assertEquals(0, t.reserve(1, 10, none, out));
        t.reserve(0, 10, none, out);
        t.arrived(0, 0, 1);
        t.verifiedPiece(0);
        assertTrue(t.complete());
        assertEquals(B, t.wantedBytes());
    }
    @Test
    void byteCountsFollowPrioritiesAndVerification() {
        PieceTracker t = new PieceTracker(3, 2L * B, 5L * B);
        t.verifiedPiece(0);
        assertEquals(5L * B, t.wantedBytes());
        assertEquals(2L * B, t.verifiedWantedBytes());
        t.priority(0, 0);
        t.priority(2, 0);
        assertEquals(2L * B, t.wantedBytes(), "only piece 1 is wanted");
        assertEquals(0, t.verifiedWantedBytes(), "the verified piece is no longer wanted");
        t.priority(0, 7);
        t.priority(0, 2);
        assertEquals(4L * B, t.wantedBytes());
        assertEquals(2L * B, t.verifiedWantedBytes());
        t.verifiedPiece(0);
        assertEquals(2L * B, t.verifiedWantedBytes(), "verifying twice counts once");
        t.recount();
        assertEquals(4L * B, t.wantedBytes());
        assertEquals(2L * B, t.verifiedWantedBytes());
    }

    /**
     * A piece in progress holds a few bytes per block, sized by its own blocks: an array for
     * 256 blocks (2 KiB of senders alone) per piece of 16 blocks was kept by every idle torrent.
     */
    @Test
    void aPieceInProgressIsSizedByItsBlocks() {
        PieceTracker t = new PieceTracker(2, 16L * B, 20L * B);
        t.reserve(1, 64, none, out);
        PartialPiece last = t.inProgress(1);
        assertEquals(4, last.inFlight.length);
        assertEquals(4, last.senders.length);
        assertEquals(1, last.receivedBits.length);
        for (int b = 0; b < 4; b++) {
            t.arrived(1, b, 3);
        }
        t.verifiedPiece(1);
        assertEquals(16, t.reserve(0, 64, none, out), "the short piece's arrays grow for a full one");
        PartialPiece full = t.inProgress(0);
        assertEquals(16, full.inFlight.length);
        assertEquals(16, full.senders.length);
        for (int b = 0; b < 16; b++) {
            assertTrue(t.arrived(0, b, 100 + b));
        }
        java.util.BitSet bad = new java.util.BitSet();
        bad.set(15);
        assertArrayEquals(new long[] {115}, t.refetch(0, bad), "each block's sender is kept");
    }

    /** A complete torrent keeps no pieces in progress for later: idle, it holds none. */
    @Test
    void aCompleteTorrentKeepsNoSparePieces() {
        PieceTracker t = new PieceTracker(3, 2L * B, 6L * B);
        for (int p = 0; p < 3; p++) {
            t.reserve(p, 64, none, out);
        }
        for (int p = 0; p < 3; p++) {
            t.arrived(p, 0, 1);
            t.arrived(p, 1, 2);
            t.verifiedPiece(p);
            assertEquals(p < 2 ? p + 1 : 0, t.spares(), "recycled while downloading, dropped on completion");
        }
        assertTrue(t.complete());
        t.priority(0, 0);
        t.recount();
        assertEquals(0, t.spares());
    }

    /**
     * The torrent reads both byte counts under its lock after every verified piece: they must
     * cost the same for a million pieces as for a thousand (a walk over the pieces, O(n²) over a
     * download, costs a thousand times more). Best of five rounds, a generous bound.
     */
    @Test
    void byteCountsCostNoMoreForAMillionPiecesThanForAThousand() {
        long small = costOfVerifying(1 << 10);
        long large = costOfVerifying(1 << 20);
        assertTrue(large < small * 50, "a thousand pieces: " + small + " ns, a million: " + large + " ns");
    }

    private static long costOfVerifying(int pieces) {
        PieceTracker t = new PieceTracker(pieces, B, (long) pieces * B);
        long best = Long.MAX_VALUE;
        long sink = 0;
        for (int round = 0; round < 5; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < 128; i++) {
                t.verifiedPiece(round * 128 + i);
                sink += t.wantedBytes() + t.verifiedWantedBytes();
            }
            best = Math.min(best, System.nanoTime() - start);
        }
        assertTrue(sink > 0);
        return best;
    }
}
