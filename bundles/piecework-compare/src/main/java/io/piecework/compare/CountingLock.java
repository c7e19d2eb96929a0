package io.piecework.compare;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A reentrant lock that counts acquisitions and times how long each outermost acquisition
 * waited and was held, to compare strategies' lock traffic. The histograms are written only by
 * the holder, so they need no synchronisation of their own; read them once the threads using
 * the lock are done (or accept a racy view).
 */
public final class CountingLock implements Lock {
    private final ReentrantLock lock = new ReentrantLock();
    private final DurationHistogram waits = new DurationHistogram();
    private final DurationHistogram holds = new DurationHistogram();
    // Written only by the holder; volatile so a test thread sees a scheduler thread's count.
    private volatile long acquisitions;
    private long heldSince;

    /** Successful acquisitions so far (reentrant ones included). */
    public long acquisitions() {
        return acquisitions;
    }

    public void resetAcquisitions() {
        acquisitions = 0;
    }

    /** Waits of outermost acquisitions, in nanoseconds (0 when the lock was free). */
    public DurationHistogram waits() {
        return waits;
    }

    /** Holds from outermost acquisition to release, in nanoseconds. */
    public DurationHistogram holds() {
        return holds;
    }

    /** Clears the histograms; call with the lock held or while no thread uses it. */
    public void resetTimes() {
        waits.reset();
        holds.reset();
    }

    public boolean isHeldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    /**
     * A free lock is taken at once and waited 0; only a lock found taken is timed, so the
     * waits are time spent blocked behind another holder (one clock read fewer when free).
     */
    @Override
    public void lock() {
        if (lock.tryLock()) {
            acquired(-1);
            return;
        }
        long start = System.nanoTime();
        lock.lock();
        acquired(start);
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        long start = System.nanoTime();
        lock.lockInterruptibly();
        acquired(start);
    }

    @Override
    public boolean tryLock() {
        if (lock.tryLock()) {
            acquired(-1);
            return true;
        }
        return false;
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        long start = System.nanoTime();
        if (lock.tryLock(time, unit)) {
            acquired(start);
            return true;
        }
        return false;
    }

    /** {@code start} is when the wait began, or -1 for an acquisition that did not wait. */
    private void acquired(long start) {
        acquisitions++;
        if (lock.getHoldCount() == 1) {
            long now = System.nanoTime();
            waits.record(start < 0 ? 0 : now - start);
            heldSince = now;
        }
    }

    @Override
    public void unlock() {
        if (lock.getHoldCount() == 1) {
            holds.record(System.nanoTime() - heldSince);
        }
        lock.unlock();
    }

    @Override
    public Condition newCondition() {
        return lock.newCondition();
    }
}
