package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piecework.api.engine.DurationBuckets;
import org.junit.jupiter.api.Test;

/** The lock's wait/hold buckets: each duration counted once, in the bucket whose bounds hold it. */
class LatencyHistogramTest {
    private final LatencyHistogram histogram = new LatencyHistogram();

    @Test
    void eachDurationLandsInTheBucketWhoseInclusiveUpperBoundFirstHoldsIt() {
        long[] durations = {-5, 0, 1, 2, 3, 4, 5, 1024, 1025, 1_000_000, 1L << 34, (1L << 34) + 1, Long.MAX_VALUE};
        for (long d : durations) {
            histogram.record(d);
        }
        DurationBuckets b = histogram.snapshot();
        assertEquals(durations.length, b.total());
        assertEquals(3, b.count(0), "up to 1 ns, a negative reading too");
        assertEquals(1, b.count(1), "2 ns");
        assertEquals(2, b.count(2), "3 and 4 ns: (2, 4]");
        assertEquals(1, b.count(3), "5 ns: (4, 8]");
        assertEquals(1, b.count(10), "1024 ns is bucket 10's bound");
        assertEquals(1, b.count(11), "1025 ns is over it");
        assertEquals(1, b.count(20), "1 ms: (2^19, 2^20] ns");
        assertEquals(1, b.count(34), "2^34 ns, the last bound");
        assertEquals(2, b.count(DurationBuckets.BUCKETS - 1), "longer ones in the open bucket");
        for (long d : durations) {
            int i = DurationBuckets.bucketOf(d);
            assertEquals(true, d <= DurationBuckets.upperBoundNanos(i), d + " within bucket " + i + "'s bound");
            assertEquals(true, i == 0 || d > DurationBuckets.upperBoundNanos(i - 1), d + " over bucket " + (i - 1) + "'s bound");
        }
    }

    @Test
    void aSnapshotIsACopyAndPercentilesAreBucketBounds() {
        for (int i = 0; i < 99; i++) {
            histogram.record(3_000);
        }
        histogram.record(3_000_000);
        DurationBuckets before = histogram.snapshot();
        histogram.record(3_000);
        assertEquals(100, before.total(), "later recordings do not change a snapshot");
        assertEquals(101, histogram.snapshot().total());
        assertEquals(4096, histogram.percentile(50));
        assertEquals(1L << 22, histogram.percentile(100));
    }

    @Test
    void theLockRecordsEveryAcquisitionsWaitAndHoldInItsBuckets() {
        InstrumentedLock lock = new InstrumentedLock();
        for (int i = 0; i < 5; i++) {
            lock.lock();
            lock.unlock();
        }
        assertEquals(5, lock.waits().snapshot().total());
        assertEquals(5, lock.waits().snapshot().count(0), "a free lock is waited for 0 ns");
        assertEquals(5, lock.holds().snapshot().total());
    }
}
