package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Rates fold once a second while busy and decay without a fold while quiet. */
class RateMeterTest {
    private static final long SECOND = RateMeter.SECOND;

    @Test
    void aSecondFoldedAveragesAsBefore() {
        RateMeter m = new RateMeter();
        long t = System.nanoTime();
        m.fold(t); // the test's clock from here on
        m.add(3000);
        assertEquals(3000, m.fold(t + SECOND), "the bytes since the last fold");
        assertEquals(3000, m.rate(t + SECOND), "the first second is the rate");
        m.add(0);
        m.fold(t + 2 * SECOND);
        assertEquals(2000, m.rate(t + 2 * SECOND), "two thirds of the past, a third of this second");
    }

    @Test
    void anUnfoldedRateDecaysAsIfEmptySecondsHadBeenFolded() {
        RateMeter m = new RateMeter();
        long t = System.nanoTime();
        m.fold(t); // the test's clock from here on
        m.add(9000);
        m.fold(t + SECOND);
        assertEquals(9000, m.rate(t + SECOND + SECOND / 2), "within the second after a fold: as folded");
        assertEquals(6000, m.rate(t + 3 * SECOND), "one second unfolded");
        assertEquals(4000, m.rate(t + 4 * SECOND), "two");
        assertEquals(0, m.rate(t + 600 * SECOND), "a quiet torrent's rate reaches zero without a tick");
    }

    @Test
    void aLateFoldCountsTheSkippedSecondsAsEmpty() {
        RateMeter m = new RateMeter();
        long t = System.nanoTime();
        m.fold(t); // the test's clock from here on
        m.add(9000);
        m.fold(t + SECOND);
        m.add(10_000);
        m.fold(t + 11 * SECOND); // ten seconds later: 1000 B/s over them
        long decayed = 9000;
        for (int i = 0; i < 9; i++) {
            decayed = decayed * 2 / 3;
        }
        assertEquals((decayed * 2 + 1000) / 3, m.rate(t + 11 * SECOND));
    }
}
