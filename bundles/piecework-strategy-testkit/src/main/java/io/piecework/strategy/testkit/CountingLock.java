package io.piecework.strategy.testkit;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/** A reentrant lock that counts successful acquisitions, to compare strategies' lock traffic. */
public final class CountingLock implements Lock {
    private final ReentrantLock lock = new ReentrantLock();
    // Written only by the holder; volatile so a test thread sees a scheduler thread's count.
    private volatile long acquisitions;

    /** Successful acquisitions so far (reentrant ones included). */
    public long acquisitions() {
        return acquisitions;
    }

    public void resetAcquisitions() {
        acquisitions = 0;
    }

    public boolean isHeldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    @Override
    public void lock() {
        lock.lock();
        acquisitions++;
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        lock.lockInterruptibly();
        acquisitions++;
    }

    @Override
    public boolean tryLock() {
        if (lock.tryLock()) {
            acquisitions++;
            return true;
        }
        return false;
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        if (lock.tryLock(time, unit)) {
            acquisitions++;
            return true;
        }
        return false;
    }

    @Override
    public void unlock() {
        lock.unlock();
    }

    @Override
    public Condition newCondition() {
        return lock.newCondition();
    }
}
