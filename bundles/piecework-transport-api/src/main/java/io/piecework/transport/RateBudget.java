package io.piecework.transport;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A token bucket for one direction of traffic, in bytes per second (0: unlimited), safe to share
 * between threads and between transports: the engine hands the same budget to each of its
 * transports, so TCP and uTP together stay within one limit instead of each taking all of it.
 *
 * <p>Senders {@link #take} bytes before they send (never more than the bucket holds); receivers
 * {@link #charge} what already arrived, which may leave the bucket in debt, and wait
 * {@link #waitNanos} before they read more. The bucket holds at most {@link #BURST_SECONDS_DIVISOR
 * an eighth} of a second of the rate (at least {@link #MIN_BURST} bytes), so an idle period
 * earns no more than that, and a rate just set starts from an empty bucket.
 */
public final class RateBudget {
    /** The bucket holds 1/8 s of the rate: a burst after idling is short, a packet always fits. */
    public static final int BURST_SECONDS_DIVISOR = 8;
    /** Never less than this in the bucket's capacity: one full uTP packet or a block's message header. */
    public static final long MIN_BURST = 16 * 1024;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final LongSupplier clock;
    /** Read without the lock first: an unlimited budget (the usual case) costs a volatile read per call. */
    private volatile long rate;
    private long level;
    private long at;

    /** A budget on {@link System#nanoTime()}, unlimited until {@link #rate(long)} sets a rate. */
    public RateBudget() {
        this(System::nanoTime);
    }

    /** A budget on {@code clock} (nanoseconds, as {@link System#nanoTime()}): tests pass their own. */
    public RateBudget(LongSupplier clock) {
        this.clock = clock;
        this.at = clock.getAsLong();
    }

    /**
     * Sets the rate at once for every holder; 0 lifts the limit.
     *
     * @throws IllegalArgumentException for a negative rate
     */
    public synchronized void rate(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("a rate must be 0 (unlimited) or positive, not " + bytesPerSecond);
        }
        refill();
        if (rate == 0) {
            level = 0; // no credit for the time it was unlimited
        }
        rate = bytesPerSecond;
        level = Math.min(level, burst());
    }

    public long rate() {
        return rate;
    }

    public boolean limited() {
        return rate > 0;
    }

    /** Takes up to {@code wanted} bytes (all of them when unlimited, none while the bucket is empty or in debt). */
    public long take(long wanted) {
        if (rate == 0 || wanted <= 0) {
            return Math.max(0, wanted);
        }
        return limitedTake(wanted);
    }

    private synchronized long limitedTake(long wanted) {
        if (rate == 0) {
            return wanted;
        }
        refill();
        long granted = Math.max(0, Math.min(wanted, level));
        level -= granted;
        return granted;
    }

    /** Gives back bytes taken and not sent. */
    public synchronized void refund(long bytes) {
        if (rate > 0 && bytes > 0) {
            refill();
            level = Math.min(burst(), level + bytes);
        }
    }

    /** Counts bytes that already moved (received, or sent by a path that cannot wait): the bucket may go into debt. */
    public void charge(long bytes) {
        if (rate > 0 && bytes > 0) {
            limitedCharge(bytes);
        }
    }

    private synchronized void limitedCharge(long bytes) {
        if (rate > 0) {
            refill();
            level -= bytes;
        }
    }

    /** Nanoseconds until the bucket holds at least one byte again; 0 when it does now or there is no limit. */
    public long waitNanos() {
        return rate == 0 ? 0 : limitedWait();
    }

    private synchronized long limitedWait() {
        if (rate == 0) {
            return 0;
        }
        refill();
        if (level > 0) {
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - level) * (double) SECOND / rate));
    }

    private long burst() {
        return Math.max(MIN_BURST, rate / BURST_SECONDS_DIVISOR);
    }

    private void refill() {
        long now = clock.getAsLong();
        long elapsed = now - at;
        if (elapsed <= 0) {
            return;
        }
        if (rate == 0) {
            at = now;
            return;
        }
        long earned = (long) ((double) elapsed * rate / SECOND);
        if (earned == 0) {
            return; // keep the fraction for the next call
        }
        at += (long) Math.ceil((double) earned * SECOND / rate);
        if (at > now) {
            at = now;
        }
        level = Math.min(burst(), level + earned);
    }

    @Override
    public synchronized String toString() {
        return rate == 0 ? "unlimited" : rate + " B/s, " + level + " B in the bucket";
    }
}
