package io.piecework.compare.internal;

import io.piecework.api.strategy.Picker;
import io.piecework.api.strategy.UpdateReason;
import io.piecework.compare.CountingLock;
import io.piecework.compare.SimulatedPeer;
import io.piecework.compare.SimulatedTorrent;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An event loop owning some peer slots: it delivers each peer's blocks at the peer's rate and
 * plays its swarm events (haves, chokes, reconnections), telling the picker like the engine
 * does (the change under the torrent's lock, then {@code requestUpdate} without it). Peers
 * whose pipeline refills are handed in through a queue, from whichever thread requested.
 *
 * <p>In steady state it allocates nothing but the peers and piece sets of reconnections, so
 * bytes allocated per update are the strategy's.
 */
final class Worker implements Runnable {
    private static final long MAX_PARK_NANOS = 20_000_000;

    private final Swarm swarm;
    private final SplittableRandom random;
    private final ArrayBlockingQueue<Slot> wakeups;
    private final SlotHeap heap = new SlotHeap();
    private final BitSet scratch = new BitSet();
    private final List<Slot> slots = new ArrayList<>();
    private final boolean virtual;
    private long clock;
    private int seenRedraws;
    private volatile Thread thread;
    private volatile boolean parked;
    // Written by this worker only (lazySet: a plain store), read by the measuring thread.
    final AtomicLong updates = new AtomicLong();
    final AtomicLong blocks = new AtomicLong();
    final AtomicLong events = new AtomicLong();

    /** {@code virtual}: time jumps to the next due event, for deterministic single-thread runs. */
    Worker(Swarm swarm, long seed, int slots, boolean virtual) {
        this.swarm = swarm;
        this.random = new SplittableRandom(seed);
        // Each slot is queued at most once until its worker disarms it.
        this.wakeups = new ArrayBlockingQueue<>(Math.max(1, slots));
        this.virtual = virtual;
    }

    SplittableRandom random() {
        return random;
    }

    BitSet scratch() {
        return scratch;
    }

    /** A peer got blocks while its pipeline was empty; called with its torrent's lock held. */
    void wake(Slot s) {
        if (!wakeups.offer(s)) {
            throw new IllegalStateException("wake-up queue full");
        }
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    /** Schedules the first swarm event of {@code s}; before the worker starts. */
    void adopt(Slot s) {
        slots.add(s);
        s.eventDue = now() + nextEventDelay(Swarm.ACTIVE);
        heap.update(s);
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        while (swarm.phase() != Swarm.STOP) {
            step(Long.MAX_VALUE);
        }
    }

    /** Runs in virtual time until {@code end} nanoseconds from the start. */
    void runUntil(long end) {
        while (step(end)) {
            // each step handles one due event
        }
    }

    /** Handles one due delivery or event, or waits for one; false once past {@code end}. */
    private boolean step(long end) {
        long now = now();
        for (Slot s = wakeups.poll(); s != null; s = wakeups.poll()) {
            s.deliveryDue = now + s.interval;
            heap.update(s);
        }
        // After the drain: a slot the redraw disarms is in no queue, so it is queued once when re-armed.
        int redraws = swarm.redraws();
        if (redraws != seenRedraws) {
            seenRedraws = redraws;
            redrawEvents(swarm.phase());
        }
        Slot next = heap.peek();
        long due = next == null ? Slot.NEVER : next.key();
        if (due > now) {
            if (virtual) {
                if (due > end) {
                    return false;
                }
                clock = due;
            } else {
                park(Math.min(due - now, MAX_PARK_NANOS));
            }
            return true;
        }
        if (next.deliveryDue <= next.eventDue) {
            deliver(next, now);
        } else {
            event(next, now);
        }
        heap.update(next);
        return true;
    }

    private void park(long nanos) {
        parked = true;
        if (wakeups.isEmpty() && swarm.redraws() == seenRedraws && swarm.phase() != Swarm.STOP) {
            LockSupport.parkNanos(this, nanos);
        }
        parked = false;
    }

    private void deliver(Slot s, long now) {
        TorrentSim t = s.torrent;
        SimulatedTorrent torrent = t.torrent;
        Picker picker = t.picker;
        CountingLock lock = torrent.lock();
        SimulatedPeer peer;
        int reasons = UpdateReason.BLOCK_RECEIVED;
        lock.lock();
        try {
            peer = s.peer;
            int piece = torrent.receive(peer);
            if (piece < 0) {
                // Choked, gone or idle since: nothing came.
                s.armed = false;
                s.deliveryDue = Slot.NEVER;
                return;
            }
            if (torrent.complete(piece)) {
                if (random.nextDouble() < Scenario.FAIL_RATE) {
                    torrent.fail(piece);
                    picker.pieceFailed(piece);
                    reasons |= UpdateReason.PIECE_FAILED;
                } else {
                    torrent.verify(piece);
                    picker.pieceVerified(piece);
                }
            }
            if (peer.inFlight() == 0) {
                s.armed = false;
                s.deliveryDue = Slot.NEVER;
                reasons |= UpdateReason.PIPELINE_DRY;
            } else {
                s.deliveryDue += s.interval;
            }
        } finally {
            lock.unlock();
        }
        blocks.lazySet(blocks.get() + 1);
        picker.requestUpdate(peer, reasons);
        updates.lazySet(updates.get() + 1);
    }

    private void event(Slot s, long now) {
        TorrentSim t = s.torrent;
        SimulatedTorrent torrent = t.torrent;
        Picker picker = t.picker;
        CountingLock lock = torrent.lock();
        SimulatedPeer updated = null;
        int reasons = 0;
        int phase;
        lock.lock();
        try {
            // Read under the lock: the switch to idle happens under each torrent's lock.
            phase = swarm.phase();
            SimulatedPeer peer = s.peer;
            int kind = phase == Swarm.ACTIVE ? random.nextInt(100) : 0;
            if (kind < 70) {
                int piece = random.nextInt(torrent.pieceCount());
                if (torrent.announce(peer, piece)) {
                    picker.peerHas(peer, piece);
                    updated = peer;
                    reasons = UpdateReason.HAVE;
                }
            } else if (kind < 85) {
                if (peer.choking()) {
                    torrent.choke(peer, false);
                    updated = peer;
                    reasons = UpdateReason.UNCHOKED | UpdateReason.PIPELINE_DRY;
                } else {
                    torrent.choke(peer, true);
                }
            } else {
                torrent.disconnect(peer);
                picker.peerGone(peer);
                t.connect(s, random, scratch);
                updated = s.peer;
                reasons = UpdateReason.PIECES_RESET | UpdateReason.PIPELINE_DRY;
            }
        } finally {
            lock.unlock();
        }
        s.eventDue = now + nextEventDelay(phase);
        events.lazySet(events.get() + 1);
        if (updated != null) {
            picker.requestUpdate(updated, reasons);
            updates.lazySet(updates.get() + 1);
        }
    }

    /**
     * A new phase: each peer's next event is drawn at the new pace, and a delivery pending for
     * a peer left with nothing in flight (choked, or its torrent complete) is cancelled, as a
     * connection has nothing to read then; otherwise it would wake this loop for nothing.
     */
    private void redrawEvents(int phase) {
        long now = now();
        for (Slot s : slots) {
            CountingLock lock = s.torrent.torrent.lock();
            lock.lock();
            try {
                if (s.armed && s.peer.inFlight() == 0) {
                    s.armed = false;
                    s.deliveryDue = Slot.NEVER;
                }
            } finally {
                lock.unlock();
            }
            s.eventDue = now + nextEventDelay(phase);
            heap.update(s);
        }
    }

    private long nextEventDelay(int phase) {
        double mean = phase == Swarm.ACTIVE ? Scenario.EVENT_SECONDS : Scenario.IDLE_EVENT_SECONDS;
        return (long) (-Math.log(1 - random.nextDouble()) * mean * 1e9);
    }

    long now() {
        return virtual ? clock : System.nanoTime();
    }

    void unpark() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
