package io.piecework.compare;

/**
 * Durations in nanoseconds, counted in log-linear buckets: exact below 8 ns, then 8 buckets per
 * power of two (values within 12.5 %), up to 2^36 ns (about 69 s; longer ones count there).
 * Not thread-safe: one writer at a time (a lock's holder), readers once writers are done.
 */
public final class DurationHistogram {
    private static final int SUB_BITS = 3;
    private static final int SUB = 1 << SUB_BITS;
    private static final int MAX_EXPONENT = 36;
    private static final int BUCKETS = SUB + (MAX_EXPONENT - SUB_BITS + 1) * SUB;
    private final int[] counts = new int[BUCKETS];
    private long total;
    private long sum;

    public void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[bucket(v)]++;
        total++;
        sum += v;
    }

    public long count() {
        return total;
    }

    /** The sum of all durations recorded, in nanoseconds. */
    public long sum() {
        return sum;
    }

    /** Adds {@code other}'s counts to this one. */
    public void add(DurationHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        sum += other.sum;
    }

    public void reset() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
        sum = 0;
    }

    /**
     * The {@code p}-th percentile (0 to 100): the largest value of the bucket holding it, so it
     * is at most 12.5 % above the true value; 0 when empty.
     */
    public long percentile(double p) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(total * p / 100.0));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return upper(i);
            }
        }
        return upper(BUCKETS - 1);
    }

    static int bucket(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v);
        if (exponent > MAX_EXPONENT) {
            return BUCKETS - 1;
        }
        int mantissa = (int) (v >>> (exponent - SUB_BITS)) & (SUB - 1);
        return SUB + (exponent - SUB_BITS) * SUB + mantissa;
    }

    /** The largest value that falls in bucket {@code i}. */
    static long upper(int i) {
        if (i < SUB) {
            return i;
        }
        int exponent = (i - SUB) / SUB + SUB_BITS;
        long mantissa = (i - SUB) % SUB;
        long low = (1L << exponent) + (mantissa << (exponent - SUB_BITS));
        return low + (1L << (exponent - SUB_BITS)) - 1;
    }
}
