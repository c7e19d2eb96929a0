package io.piecework.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * Bytes per second, smoothed: event threads add bytes to a counter; the engine's timer folds
 * what came since into an exponential average, once a second while the torrent is busy and
 * seldom when it is quiet. The rate decays as it is read, as if a second with no bytes had been
 * folded for every second not folded, so a quiet torrent's rates reach zero without a tick.
 */
final class RateMeter {
    static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /** Past this many unfolded seconds the decayed rate is below a byte per second anyway. */
    private static final int MAX_DECAY_SECONDS = 64;

    private static final VarHandle TOTAL;

    static {
        try {
            TOTAL = MethodHandles.lookup().findVarHandle(RateMeter.class, "total", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Bytes so far: an atomic add on a field rather than a LongAdder, whose object and cells
     * cost every connection two meters' worth of heap. A peer's meter is added to by its event
     * loop (and the disk threads when uploading); a torrent's by a few threads, once a block.
     */
    private volatile long total;
    // Written by the timer thread only.
    private long lastTotal;
    private volatile long rate;
    private volatile long foldedAt = System.nanoTime();

    void add(long bytes) {
        TOTAL.getAndAdd(this, bytes);
    }

    long total() {
        return total;
    }

    /**
     * Folds the bytes since the last fold into the rate. Seconds past the first that went unfolded
     * count as seconds without bytes (their bytes are in {@code instant}, spread over them).
     *
     * @return the bytes that came since the last fold
     */
    long fold(long now) {
        long sum = total;
        long delta = sum - lastTotal;
        lastTotal = sum;
        long elapsed = now - foldedAt;
        foldedAt = now;
        long instant = elapsed <= 0 ? 0 : delta * SECOND / elapsed;
        long previous = decayed(rate, elapsed - SECOND);
        rate = previous == 0 ? instant : (previous * 2 + instant) / 3;
        return delta;
    }

    /** The rate now: decayed by two thirds for each whole second past the first since the last fold. */
    long rate(long now) {
        return decayed(rate, now - foldedAt - SECOND);
    }

    long rate() {
        return rate(System.nanoTime());
    }

    private static long decayed(long rate, long unfolded) {
        long seconds = unfolded <= 0 ? 0 : Math.min(MAX_DECAY_SECONDS, unfolded / SECOND);
        for (long s = 0; s < seconds && rate > 0; s++) {
            rate = rate * 2 / 3;
        }
        return rate;
    }
}
