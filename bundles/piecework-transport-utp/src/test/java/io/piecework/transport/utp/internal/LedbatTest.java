package io.piecework.transport.utp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LedbatTest {
    private static final long SECOND = 1_000_000;

    @Test
    void growsUnderTheTargetAndShrinksAboveIt() {
        Ledbat ledbat = new Ledbat(10_000, 1 << 20);
        ledbat.delaySample(20_000, 0);
        ledbat.lost(); // leaves slow start: from here the window follows the delay
        int start = ledbat.window();
        ledbat.delaySample(30_000, SECOND); // 10 ms over the base: well under 100 ms
        ledbat.acked(start, start);
        int grown = ledbat.window();
        assertTrue(grown > start, grown + " > " + start);
        assertTrue(grown <= start + Ledbat.MAX_INCREASE_PER_RTT, "at most 3000 bytes per window acked");

        ledbat.delaySample(20_000 + 250_000, 2 * SECOND); // 250 ms queued: over the target
        ledbat.acked(grown, grown);
        assertTrue(ledbat.window() < grown, ledbat.window() + " < " + grown);
    }

    @Test
    void slowStartDoublesUntilTheDelayRises() {
        Ledbat ledbat = new Ledbat(2000, 1 << 20);
        ledbat.delaySample(1000, 0);
        ledbat.acked(2000, 2000);
        assertEquals(4000, ledbat.window());
        ledbat.delaySample(1000 + 60_000, SECOND); // past half the target
        ledbat.acked(4000, 4000);
        assertTrue(ledbat.window() < 8000, "slow start ended: " + ledbat.window());
    }

    @Test
    void lossHalvesTimeoutResetsAndTheFloorHolds() {
        Ledbat ledbat = new Ledbat(64_000, 1 << 20);
        ledbat.lost();
        assertEquals(32_000, ledbat.window());
        ledbat.timedOut(1400);
        assertEquals(1400, ledbat.window());
        for (int i = 0; i < 20; i++) {
            ledbat.lost();
        }
        assertEquals(Ledbat.MIN_WINDOW, ledbat.window());
    }

    @Test
    void theBaseDelayAgesOutAfterTwoMinutes() {
        Ledbat ledbat = new Ledbat(10_000, 1 << 20);
        ledbat.delaySample(10_000, 0);
        ledbat.delaySample(50_000, 61 * SECOND);
        assertEquals(40_000, ledbat.queuingDelayMicros(), "the first minute's base still counts");
        ledbat.delaySample(50_000, 122 * SECOND);
        assertEquals(0, ledbat.queuingDelayMicros(), "two minutes on, the old base is gone");
    }
}
