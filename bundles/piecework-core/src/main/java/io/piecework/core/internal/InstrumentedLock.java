package io.piecework.core.internal;

import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The torrent's lock, with the {@link Outbox} of messages decided under it and sent once it is
 * released, measuring how often it is taken, how long threads wait for it and how
 * long it is held. Two clock reads per acquisition keep it cheap enough to leave on.
 */
final class InstrumentedLock extends ReentrantLock {
    private static final long serialVersionUID = 1L;
    private final LongAdder acquisitions = new LongAdder();
    private final LongAdder waitNanos = new LongAdder();
    private final LongAdder holdNanos = new LongAdder();
    private final LatencyHistogram waits = new LatencyHistogram();
    private final LatencyHistogram holds = new LatencyHistogram();
    private long heldSince;
    /** Filled under the lock, sent by the thread whose unlock releases it. */
    final Outbox outbox = new Outbox();

    @Override
    public void lock() {
        // A free lock is taken at once and waited for 0 ns; only a lock found taken is timed,
        // so the thread's own preemption between two clock reads is not counted as waiting.
        if (super.tryLock()) {
            if (getHoldCount() == 1) {
                acquired(0, System.nanoTime());
            }
            return;
        }
        long start = System.nanoTime();
        super.lock();
        if (getHoldCount() == 1) {
            long now = System.nanoTime();
            acquired(now - start, now);
        }
    }

    @Override
    public boolean tryLock() {
        boolean locked = super.tryLock();
        if (locked && getHoldCount() == 1) {
            acquired(0, System.nanoTime());
        }
        return locked;
    }

    private void acquired(long waited, long now) {
        acquisitions.increment();
        waitNanos.add(waited);
        waits.record(waited);
        heldSince = now;
    }

    @Override
    public void unlock() {
        boolean last = getHoldCount() == 1;
        if (last) {
            long held = System.nanoTime() - heldSince;
            holdNanos.add(held);
            holds.record(held);
        }
        super.unlock();
        if (last) {
            outbox.flush();
        }
    }

    long acquisitions() {
        return acquisitions.sum();
    }

    long waitNanos() {
        return waitNanos.sum();
    }

    long holdNanos() {
        return holdNanos.sum();
    }

    LatencyHistogram waits() {
        return waits;
    }

    LatencyHistogram holds() {
        return holds;
    }
}
