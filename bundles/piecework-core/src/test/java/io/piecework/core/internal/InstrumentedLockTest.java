package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Work handed to the torrent lock's holder: run once, in order, under the lock, never stranded. */
class InstrumentedLockTest {
    private final InstrumentedLock lock = new InstrumentedLock();

    @Test
    void workFoundLockedIsRunByTheHolderBeforeItReleasesAndItsAfterPartOnceReleased() throws Exception {
        AtomicReference<String> ranBy = new AtomicReference<>();
        AtomicReference<Boolean> heldAfter = new AtomicReference<>();
        AtomicInteger handedBack = new AtomicInteger();
        lock.lock();
        try {
            Thread other = new Thread(() -> {
                lock.submit(() -> {
                    ranBy.set(Thread.currentThread().getName() + (lock.isHeldByCurrentThread() ? " holding" : ""));
                    return () -> heldAfter.set(lock.isLocked());
                });
                handedBack.incrementAndGet();
            }, "other");
            other.start();
            other.join(10_000);
            assertEquals(1, handedBack.get(), "submit returned without waiting for the lock");
            assertEquals(null, ranBy.get(), "nothing runs before the holder is done");
        } finally {
            lock.unlock();
        }
        assertEquals(Thread.currentThread().getName() + " holding", ranBy.get());
        assertEquals(Boolean.FALSE, heldAfter.get(), "the after part runs once the lock is free");
        assertEquals(1, lock.handoffs());
        assertEquals(0, lock.waitNanos(), "nobody waited");
    }

    @Test
    void workOnAFreeLockRunsAtOnceOnTheCallersThread() {
        List<String> seen = new ArrayList<>();
        lock.submit(() -> {
            seen.add("under " + lock.isHeldByCurrentThread());
            return () -> seen.add("after " + lock.isHeldByCurrentThread());
        });
        assertEquals(List.of("under true", "after false"), seen);
        assertEquals(0, lock.handoffs());
        assertEquals(1, lock.acquisitions());
    }

    @Test
    void workSubmittedByTheHolderRunsInlineAndItsAfterPartWaitsForTheRelease() {
        List<String> seen = new ArrayList<>();
        lock.lock();
        try {
            lock.submit(() -> {
                seen.add("inline");
                return () -> seen.add("after");
            });
            seen.add("still holding");
        } finally {
            lock.unlock();
        }
        assertEquals(List.of("inline", "still holding", "after"), seen);
        assertEquals(1, lock.acquisitions(), "no second acquisition for work of the holder");
    }

    /** Threads hand work while others take the lock plainly: every piece runs once, none is left behind. */
    @Test
    void underContentionEveryHandedWorkRunsOnceAndEachThreadsWorkInOrder() throws Exception {
        int threads = 4;
        int each = 20_000;
        int[] last = new int[threads];
        AtomicInteger after = new AtomicInteger();
        AtomicInteger outOfOrder = new AtomicInteger();
        AtomicInteger unlocked = new AtomicInteger();
        int[] ran = new int[1]; // guarded by the lock
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int me = t;
            all.add(new Thread(() -> {
                awaitQuietly(start);
                for (int i = 1; i <= each; i++) {
                    int seq = i;
                    lock.submit(() -> {
                        if (!lock.isHeldByCurrentThread()) {
                            unlocked.incrementAndGet();
                        }
                        if (last[me] != seq - 1) {
                            outOfOrder.incrementAndGet();
                        }
                        last[me] = seq;
                        ran[0]++;
                        return after::incrementAndGet;
                    });
                    if (i % 97 == 0) { // a plain critical section now and then, as the cold paths take
                        lock.lock();
                        lock.unlock();
                    }
                }
            }, "submitter-" + t));
        }
        all.forEach(Thread::start);
        start.countDown();
        for (Thread t : all) {
            t.join(60_000);
            assertFalse(t.isAlive());
        }
        // No extra lock or unlock here: whatever the last holder found must have been run already.
        lock.lock();
        try {
            assertEquals(threads * each, ran[0], "handed work left unrun");
        } finally {
            lock.unlock();
        }
        assertEquals(threads * each, after.get());
        assertEquals(0, outOfOrder.get(), "one thread's work ran out of order");
        assertEquals(0, unlocked.get(), "work ran without the lock");
        assertTrue(lock.handoffs() <= threads * each);
    }

    /** A long queue must not delay what its first work decided until the last one has run. */
    @Test
    void aLongQueueRunsInSeveralHoldsReleasingTheLockBetweenThem() throws Exception {
        int works = 100;
        List<Integer> order = handWhileHeld(lock, works);
        assertEquals(works, order.size(), "the releasing thread ran it all: this lock has no drainer");
        for (int i = 0; i < works; i++) {
            assertEquals(i, order.get(i), "oldest first");
        }
        assertTrue(lock.acquisitions() >= 2, works + " works in " + lock.acquisitions() + " acquisition(s)");
    }

    /** An event loop must not drain the others' work for long: its own connections wait meanwhile. */
    @Test
    void workLeftWhenTheHoldersBudgetIsSpentGoesToTheDrainerNotTheReleasingThread() throws Exception {
        java.util.concurrent.LinkedBlockingQueue<Runnable> drains = new java.util.concurrent.LinkedBlockingQueue<>();
        InstrumentedLock withDrainer = new InstrumentedLock(drains::add);
        int works = 100;
        List<Integer> order = handWhileHeld(withDrainer, works);
        int byReleaser = order.size();
        assertTrue(byReleaser < works, "the releasing thread ran all " + works);
        assertEquals(1, drains.size(), "one drain queued for the rest");
        for (Runnable drain = drains.poll(); drain != null; drain = drains.poll()) {
            drain.run(); // each drain runs a budget's worth and queues the next
        }
        assertEquals(works, order.size(), "nothing stranded");
        for (int i = 0; i < works; i++) {
            assertEquals(i, order.get(i), "oldest first");
        }
        assertFalse(withDrainer.isLocked());
    }

    /** Hands {@code works} works of about 20 us each from another thread while this one holds the lock. */
    private static List<Integer> handWhileHeld(InstrumentedLock lock, int works) throws InterruptedException {
        List<Integer> order = new ArrayList<>();
        lock.lock();
        try {
            Thread other = new Thread(() -> {
                for (int i = 0; i < works; i++) {
                    int seq = i;
                    lock.submit(() -> {
                        order.add(seq);
                        long until = System.nanoTime() + 20_000;
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait(); // stands for a strategy's update
                        }
                        return null;
                    });
                }
            });
            other.start();
            other.join(10_000);
            assertFalse(other.isAlive());
        } finally {
            lock.unlock();
        }
        return order;
    }

    @Test
    void aFailingWorkDoesNotStrandTheWorkHandedAfterIt() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        lock.lock();
        try {
            Thread other = new Thread(() -> {
                lock.submit(() -> {
                    throw new IllegalStateException("a broken peer");
                });
                lock.submit(() -> {
                    ran.incrementAndGet();
                    return null;
                });
            });
            other.start();
            other.join(10_000);
            assertFalse(other.isAlive());
        } finally {
            lock.unlock();
        }
        assertEquals(1, ran.get());
        assertFalse(lock.isLocked());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
