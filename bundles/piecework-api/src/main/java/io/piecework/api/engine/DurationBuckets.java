package io.piecework.api.engine;

import java.util.Arrays;

/**
 * Durations counted in fixed power-of-two buckets, as the engine records its lock's wait and
 * hold times: bucket 0 holds durations up to 1 ns (a free lock is waited for 0 ns), bucket
 * {@code i} (1 to {@value #BUCKETS} - 2) those over 2<sup>i-1</sup> and up to 2<sup>i</sup> ns,
 * and the last bucket everything longer (over 2<sup>{@value #BUCKETS} - 2</sup> ns, about 17 s).
 * The bounds are inclusive upper bounds, so cumulative counts at any subset of them are exact
 * (a Prometheus histogram's {@code le} buckets need no interpolation).
 *
 * @param counts the count of each bucket, {@value #BUCKETS} of them (copied)
 * @since 1.4
 */
public record DurationBuckets(long[] counts) {
    /** The number of buckets. */
    public static final int BUCKETS = 36;
    /** No durations counted. */
    public static final DurationBuckets EMPTY = new DurationBuckets(new long[BUCKETS]);

    public DurationBuckets {
        if (counts.length != BUCKETS) {
            throw new IllegalArgumentException("need " + BUCKETS + " bucket counts, got " + counts.length);
        }
        counts = counts.clone();
    }

    /** The bucket a duration falls in. */
    public static int bucketOf(long nanos) {
        return nanos <= 1 ? 0 : Math.min(BUCKETS - 1, 64 - Long.numberOfLeadingZeros(nanos - 1));
    }

    /** Bucket {@code i}'s inclusive upper bound in nanoseconds; {@link Long#MAX_VALUE} for the last. */
    public static long upperBoundNanos(int bucket) {
        return bucket >= BUCKETS - 1 ? Long.MAX_VALUE : 1L << bucket;
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    /** Bucket {@code i}'s count. */
    public long count(int bucket) {
        return counts[bucket];
    }

    /** Durations counted in all. */
    public long total() {
        long sum = 0;
        for (long c : counts) {
            sum += c;
        }
        return sum;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DurationBuckets other && Arrays.equals(counts, other.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "DurationBuckets" + Arrays.toString(counts);
    }
}
