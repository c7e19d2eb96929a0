package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RejectBackoffTest {
    private static final long MS = 1_000_000L;

    @Test
    void aBurstOfRejectsIsOnePauseAndEachBurstDoublesItAndHalvesThePipeline() {
        RejectBackoff b = new RejectBackoff();
        long t = 1_000 * MS;
        assertEquals(32, b.pipeline(32));
        for (int i = 0; i < 32; i++) {
            assertFalse(b.rejected(t + i));
        }
        assertTrue(b.paused(t + 499 * MS));
        assertTrue(b.resumable(t + 500 * MS));
        assertEquals(16, b.pipeline(32));
        t += 500 * MS;
        assertFalse(b.rejected(t));
        assertTrue(b.paused(t + 999 * MS), "the second pause is twice the first");
        assertEquals(8, b.pipeline(32));
    }

    @Test
    void aBlockEndsTheBackOff() {
        RejectBackoff b = new RejectBackoff();
        b.rejected(0);
        assertTrue(b.backingOff());
        b.served();
        assertFalse(b.backingOff());
        assertFalse(b.paused(1));
        assertEquals(32, b.pipeline(32));
    }

    @Test
    void aPeerThatOnlyRejectsIsGivenUpAfterSevenRounds() {
        RejectBackoff b = new RejectBackoff();
        long t = 0;
        int rounds = 0;
        while (!b.rejected(t)) {
            rounds++;
            t += RejectBackoff.LONGEST_PAUSE_NANOS;
        }
        assertEquals(RejectBackoff.GIVE_UP_ROUNDS - 1, rounds);
    }

    @Test
    void theSharedBackoffOfPeersThatNeverRejectedIsNeverWritten() {
        RejectBackoff.NONE.served();
        assertThrows(IllegalStateException.class, () -> RejectBackoff.NONE.rejected(0));
        assertFalse(RejectBackoff.NONE.backingOff());
        assertEquals(0, RejectBackoff.NONE.rejects());
    }
}
