package io.piecework.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CountingLockTest {
    @Test
    void countsEveryAcquisitionButTimesOnlyTheOutermost() {
        CountingLock lock = new CountingLock();
        lock.lock();
        lock.lock();
        lock.unlock();
        lock.unlock();
        assertTrue(lock.tryLock());
        lock.unlock();
        assertEquals(3, lock.acquisitions());
        assertEquals(2, lock.waits().count());
        assertEquals(2, lock.holds().count());
    }

    @Test
    void aThreadThatFindsTheLockTakenRecordsItsWait() throws Exception {
        CountingLock lock = new CountingLock();
        lock.lock();
        Thread waiter = new Thread(() -> {
            lock.lock();
            lock.unlock();
        });
        waiter.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waiter.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        long heldFor = System.nanoTime();
        while (System.nanoTime() - heldFor < 2_000_000) {
            Thread.onSpinWait();
        }
        lock.unlock();
        waiter.join(10_000);
        assertEquals(2, lock.waits().count());
        assertTrue(lock.waits().percentile(100) >= 1_000_000, "the waiter waited about 2 ms: " + lock.waits().percentile(100));
        assertTrue(lock.holds().percentile(100) >= 1_000_000, "the first hold lasted about 2 ms");
        lock.lock();
        lock.resetTimes();
        lock.unlock();
        assertEquals(0, lock.waits().count());
        assertEquals(1, lock.holds().count(), "the hold that cleared them is measured after");
    }
}
