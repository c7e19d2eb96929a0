package io.piecework.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket on a clock of the test's own: no real time passes. */
class RateBudgetTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RateBudget budget = new RateBudget(now::get);

    @Test
    void unlimitedGrantsEverythingAndNeverWaits() {
        assertEquals(1 << 30, budget.take(1 << 30));
        budget.charge(1 << 30);
        assertEquals(0, budget.waitNanos());
    }

    @Test
    void aRateJustSetStartsEmptyAndGrantsItsRateOverTime() {
        budget.rate(1_000_000);
        assertEquals(0, budget.take(1000), "no credit for the time it was unlimited");
        long granted = 0;
        for (int ms = 0; ms < 2000; ms++) {
            now.addAndGet(MS);
            granted += budget.take(100_000);
        }
        assertTrue(granted >= 1_990_000 && granted <= 2_000_000, "2 s at 1 MB/s granted " + granted);
    }

    @Test
    void idleTimeEarnsAtMostAnEighthOfASecond() {
        budget.rate(800_000);
        now.addAndGet(10_000 * MS);
        assertEquals(100_000, budget.take(1_000_000));
        assertEquals(0, budget.take(1));
    }

    @Test
    void aChargeIntoDebtIsWaitedOffAtTheRate() {
        budget.rate(1_000_000);
        budget.charge(500_000);
        long wait = budget.waitNanos();
        assertTrue(wait > 499 * MS && wait <= 501 * MS, "wait " + wait);
        now.addAndGet(wait);
        assertEquals(0, budget.waitNanos());
        assertTrue(budget.take(10) > 0);
    }

    @Test
    void twoUsersOfOneBudgetShareItsRate() {
        budget.rate(1_000_000);
        long first = 0;
        long second = 0;
        for (int ms = 0; ms < 4000; ms++) {
            now.addAndGet(MS);
            first += budget.take(64 * 1024);
            second += budget.take(64 * 1024);
        }
        assertTrue(first + second <= 4_000_000, "together " + (first + second));
        assertTrue(first + second >= 3_990_000, "together " + (first + second));
    }

    @Test
    void aRefundComesBackAndLiftingTheLimitGrantsAll() {
        budget.rate(1_000_000);
        now.addAndGet(100 * MS);
        long got = budget.take(100_000);
        budget.refund(got);
        assertEquals(got, budget.take(100_000));
        budget.rate(0);
        assertEquals(5_000_000, budget.take(5_000_000));
        assertThrows(IllegalArgumentException.class, () -> budget.rate(-1));
    }
}
