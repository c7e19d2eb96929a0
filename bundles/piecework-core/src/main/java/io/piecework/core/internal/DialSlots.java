package io.piecework.core.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The engine's outgoing connection attempts (half-open dials), at most {@link
 * PeerLimits#dialsInFlight()} at a time, and the torrents that found them all taken. A torrent
 * waits here once; each dial returned wakes the next one instead of leaving it to its next
 * tick (torrents added together tick in the same slice, and a second's wait per dial is slow
 * to fill). A stopped torrent leaves at once: the queue holds its {@link Connector} and so the
 * whole removed torrent.
 */
final class DialSlots {
    private final IntSupplier limit;
    private final Executor wake;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Queue<Connector> waiting = new ConcurrentLinkedQueue<>();

    /** @param limit read at each dial, so a settings change applies at once */
    DialSlots(IntSupplier limit, Executor wake) {
        this.limit = limit;
        this.wake = wake;
    }

    boolean take() {
        if (inFlight.incrementAndGet() > Math.max(1, limit.getAsInt())) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    void giveBack() {
        inFlight.decrementAndGet();
        wakeNext();
    }

    /** Wakes the torrent that has waited longest; one that then has nothing to dial calls this again. */
    void wakeNext() {
        Connector next = waiting.poll();
        if (next != null) {
            try {
                wake.execute(next::dialReturned);
            } catch (RejectedExecutionException e) {
                // The engine is closing.
            }
        }
    }

    /** {@code connector} dials when a dial is returned: call at most once until it is woken. */
    void await(Connector connector) {
        waiting.add(connector);
    }

    /** O(waiting torrents), once per torrent stopped. */
    void leave(Connector connector) {
        waiting.remove(connector);
    }

    int waiting() {
        return waiting.size();
    }
}
