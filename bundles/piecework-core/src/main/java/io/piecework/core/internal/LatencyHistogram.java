package io.piecework.core.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Durations in power-of-two buckets (1 ns to about 17 s): recording is one array increment,
 * so it can stay on in production; percentiles are accurate to a factor of two.
 */
final class LatencyHistogram {
    private static final int BUCKETS = 35;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    void record(long nanos) {
        int bucket = nanos <= 0 ? 0 : Math.min(BUCKETS - 1, 64 - Long.numberOfLeadingZeros(nanos));
        counts.incrementAndGet(bucket);
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
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return i == 0 ? 0 : 1L << i;
            }
        }
        return 1L << (BUCKETS - 1);
    }
}
