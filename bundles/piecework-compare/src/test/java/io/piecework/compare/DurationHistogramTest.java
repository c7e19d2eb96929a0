package io.piecework.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DurationHistogramTest {
    @Test
    void percentilesAreWithinAnEighthAboveTheTrueValue() {
        DurationHistogram h = new DurationHistogram();
        for (long v = 1; v <= 100_000; v++) {
            h.record(v * 1000);
        }
        assertWithinEighth(50_000_000, h.percentile(50));
        assertWithinEighth(99_000_000, h.percentile(99));
        assertWithinEighth(100_000_000, h.percentile(100));
        assertEquals(100_000, h.count());
    }

    @Test
    void smallValuesAreExactAndAnEmptyHistogramSaysZero() {
        DurationHistogram h = new DurationHistogram();
        assertEquals(0, h.percentile(99));
        h.record(3);
        h.record(5);
        h.record(-7);
        assertEquals(0, h.percentile(1), "a negative duration counts as 0");
        assertEquals(3, h.percentile(50));
        assertEquals(5, h.percentile(100));
        assertEquals(8, h.sum());
    }

    @Test
    void everyBucketHoldsExactlyTheValuesUpToItsUpperBound() {
        for (int i = 0; i < 200; i++) {
            long upper = DurationHistogram.upper(i);
            assertEquals(i, DurationHistogram.bucket(upper), "upper bound of bucket " + i);
            assertEquals(i + 1, DurationHistogram.bucket(upper + 1), "value after bucket " + i);
        }
        assertEquals(DurationHistogram.bucket(1L << 40), DurationHistogram.bucket(Long.MAX_VALUE), "long ones share the last bucket");
    }

    @Test
    void addMergesCountsAndResetEmpties() {
        DurationHistogram a = new DurationHistogram();
        DurationHistogram b = new DurationHistogram();
        for (int i = 0; i < 99; i++) {
            a.record(100);
        }
        b.record(1_000_000);
        a.add(b);
        assertEquals(100, a.count());
        assertWithinEighth(100, a.percentile(99));
        assertWithinEighth(1_000_000, a.percentile(100));
        a.reset();
        assertEquals(0, a.count());
        assertEquals(0, a.percentile(50));
    }

    private static void assertWithinEighth(long expected, long actual) {
        assertTrue(actual >= expected && actual <= expected + expected / 8,
                "expected " + expected + " to " + (expected + expected / 8) + " but was " + actual);
    }
}
