package io.piecework.core.internal;

import io.piecework.api.engine.DurationBuckets;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Durations in the API's fixed power-of-two buckets ({@link DurationBuckets}: up to 1 ns, then
 * (2<sup>i-1</sup>, 2<sup>i</sup>] ns up to about 17 s, then longer): recording is one array
 * increment with no allocation, so it can stay on in production; percentiles are accurate to a
 * factor of two, and the counts are published as they are ({@link #snapshot}).
 */
final class LatencyHistogram {
    private static final int BUCKETS = DurationBuckets.BUCKETS;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    void record(long nanos) {
        counts.incrementAndGet(DurationBuckets.bucketOf(nanos));
    }

    /** The counts now (each read on its own: a bucket may be one recording ahead of another). */
    DurationBuckets snapshot() {
        long[] now = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            now[i] = counts.get(i);
        }
        return new DurationBuckets(now);
    }

    /** The upper bound of the bucket holding the {@code p}-th percentile (0 to 100), in nanoseconds. */
    long percentile(double p) {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += counts.get(i);
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(total * p / 100.0);
        long seen = 0;
        for (int i = 0; i < BUCKETS - 1; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return i == 0 ? 0 : DurationBuckets.upperBoundNanos(i);
            }
        }
        // Past the last bound: the bound itself, as before (a percentile stays a finite figure).
        return DurationBuckets.upperBoundNanos(BUCKETS - 2);
    }
}
