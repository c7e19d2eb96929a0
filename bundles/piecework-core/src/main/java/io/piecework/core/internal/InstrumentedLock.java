package io.piecework.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The torrent's lock, with the {@link Outbox} of messages decided under it and sent once it is
 * released, measuring how often it is taken, how long threads wait for it and how long it is
 * held. Two clock reads per acquisition keep it cheap enough to leave on.
 *
 * <p>The block path does not wait for it: {@link #submit} runs its work at once when the lock is
 * free, and otherwise hands it to the holder (counted in {@link #handoffs()}). On 2 cores a
 * holder descheduled by the OS kept every other thread of the torrent parked for a time slice;
 * now they queue their work and go on. Whoever holds the lock runs handed work before releasing
 * it (so the hold time includes it), oldest first, for at most {@link #HOLD_BUDGET_NANOS} per
 * acquisition, then runs the work's after-unlock parts (disk submits, closes) once it has let
 * go. Work still waiting then is left to a task on the {@code drainer} executor rather than to
 * the releasing thread: an event loop that kept draining for the others would starve its own
 * connections. Every release looks at the queue after letting go, so nothing handed is
 * stranded. One thread's work (one peer's messages, which arrive on one event loop) runs in
 * the order it was handed.
 */
final class InstrumentedLock extends ReentrantLock {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(InstrumentedLock.class);
    /**
     * How long a holder runs handed work (one work at least): then it lets go, sends what was
     * decided and submits the disk writes, so a long queue neither delays the requests its first
     * work decided nor makes one hold last for all of it (a naive update can take milliseconds).
     */
    static final long HOLD_BUDGET_NANOS = 100_000;

    /** Work on the torrent's state. */
    @FunctionalInterface
    interface Work {
        /** Runs with the lock held; returns what must run once it is released, or null. */
        Runnable underLock();
    }

    private final LongAdder acquisitions = new LongAdder();
    private final LongAdder waitNanos = new LongAdder();
    private final LongAdder holdNanos = new LongAdder();
    private final LongAdder handoffs = new LongAdder();
    private final LatencyHistogram waits = new LatencyHistogram();
    private final LatencyHistogram holds = new LatencyHistogram();
    private final transient ConcurrentLinkedQueue<Work> handed = new ConcurrentLinkedQueue<>();
    /** Runs a drain of work left when a holder let go; null: the releasing thread drains it all. */
    private final transient Executor drainer;
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    // Guarded by the lock.
    private long heldSince;
    private transient List<Runnable> afterUnlock = new ArrayList<>();
    /** Filled under the lock, sent by the thread whose unlock releases it. */
    final Outbox outbox = new Outbox();

    /** A lock whose releasing thread runs all work handed meanwhile (tests, tools). */
    InstrumentedLock() {
        this(null);
    }

    /** @param drainer runs the work a holder leaves when its budget is spent (the engine's disk pool) */
    InstrumentedLock(Executor drainer) {
        this.drainer = drainer;
    }

    /**
     * Runs {@code work} under the lock now if it is free (or held by this thread), else leaves
     * it to the holder. Either way this thread never waits for the lock.
     */
    void submit(Work work) {
        if (isHeldByCurrentThread()) {
            later(work.underLock());
            return;
        }
        handed.add(work);
        if (tryLock()) {
            unlock(); // ran after what was handed before it (by the drainer if that queue was long)
        } else {
            handoffs.increment();
        }
    }

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
        runHanded(); // handed before this thread came: first, so none of its own is overtaken
    }

    @Override
    public void unlock() {
        if (getHoldCount() != 1) {
            super.unlock();
            return;
        }
        while (true) {
            runHanded();
            long held = System.nanoTime() - heldSince;
            holdNanos.add(held);
            holds.record(held);
            // Taken while still held: once released, the list is the next holder's.
            List<Runnable> after = afterUnlock.isEmpty() ? List.of() : afterUnlock;
            if (!after.isEmpty()) {
                afterUnlock = new ArrayList<>();
            }
            super.unlock();
            outbox.flush();
            for (Runnable r : after) {
                runSafely(r);
            }
            // Left over, or handed after our last look by a thread whose tryLock failed against us.
            if (handed.isEmpty() || drainElsewhere() || !super.tryLock()) {
                return;
            }
            acquired(0, System.nanoTime());
        }
    }

    /** Queues a drain on the drainer; false when there is none (or it refused): drain here. */
    private boolean drainElsewhere() {
        if (drainer == null) {
            return false;
        }
        if (!drainQueued.compareAndSet(false, true)) {
            return true; // one is queued: it will look at the queue after this
        }
        try {
            drainer.execute(this::drain);
            return true;
        } catch (RejectedExecutionException e) {
            drainQueued.set(false); // the engine is closing: no pool, so this thread finishes the work
            return false;
        }
    }

    private void drain() {
        drainQueued.set(false); // first: work handed from now on queues another drain if need be
        if (!handed.isEmpty() && tryLock()) {
            unlock();
        }
    }

    /** Under the lock: runs handed work, oldest first, until the queue is empty or the budget spent. */
    private void runHanded() {
        for (Work w = handed.poll(); w != null; w = handed.poll()) {
            try {
                later(w.underLock());
            } catch (RuntimeException e) {
                // One peer's failure must not strand the work of the others behind it.
                LOG.warn("work under the torrent's lock failed", e);
            }
            if (System.nanoTime() - heldSince >= HOLD_BUDGET_NANOS) {
                return;
            }
        }
    }

    private void later(Runnable after) {
        if (after != null) {
            afterUnlock.add(after);
        }
    }

    private static void runSafely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("work after the torrent's lock failed", e);
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

    /** Work that found the lock taken and was left to its holder instead of waiting for it. */
    long handoffs() {
        return handoffs.sum();
    }

    LatencyHistogram waits() {
        return waits;
    }

    LatencyHistogram holds() {
        return holds;
    }
}
