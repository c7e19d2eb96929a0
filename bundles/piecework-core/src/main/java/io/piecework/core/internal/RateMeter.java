package io.piecework.core.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes per second, smoothed: event threads add bytes to a LongAdder; the engine's timer
 * calls {@link #tick} once a second and folds the second into an exponential average.
 */
final class RateMeter {
    private final LongAdder total = new LongAdder();
    private long lastTotal;
    private volatile long rate;

    void add(long bytes) {
        total.add(bytes);
    }

    long total() {
        return total.sum();
    }

    /** Folds the bytes since the last tick, {@code elapsedNanos} ago, into the rate. */
    void tick(long elapsedNanos) {
        long now = total.sum();
        long delta = now - lastTotal;
        lastTotal = now;
        long instant = elapsedNanos <= 0 ? 0 : delta * 1_000_000_000L / elapsedNanos;
        long previous = rate;
        rate = previous == 0 ? instant : (previous * 2 + instant) / 3;
    }

    long rate() {
        return rate;
    }
}
