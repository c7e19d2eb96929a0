package io.piecework.core.internal;

import io.piecework.api.metainfo.InfoHash;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outgoing connections of one torrent: the peers we know of, reconnects with exponential
 * backoff, and bans. A ban covers the peer's IP address, except on loopback and private
 * networks where several peers share one address: there it covers the address and port.
 *
 * <p>The known peers are bounded ({@link PeerLimits#knownPeers()}) and kept in a hash map with
 * queues beside it, so adding one and picking the next to dial cost O(1) whatever peers claim to
 * know: addresses from trackers, the DHT and the user are dialled before those learnt over PEX,
 * and once the set is full a PEX address makes room for one of theirs. Each dial holds a
 * connection slot of the engine and counts against the torrent's room until it connects or
 * fails; at most {@link PeerLimits#dialsInFlight()} dials are under way across the engine.
 * Its own monitor guards it; it never calls out to the torrent while holding it.
 */
final class Connector {
    private static final Logger LOG = LoggerFactory.getLogger(Connector.class);
    static final int MAX_FAILURES = 6;
    static final long FIRST_RETRY_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Engine engine;
    private final InfoHash infoHash;
    private final Object torrent;
    private final IntSupplier freeSlots;
    private final Set<String> banned = ConcurrentHashMap.newKeySet();
    /** Addresses not taken because the known set was full. */
    final LongAdder dropped = new LongAdder();
    private volatile boolean running;

    // Guarded by this.
    private final Map<InetSocketAddress, Attempt> known = new HashMap<>();
    private final ArrayDeque<InetSocketAddress> direct = new ArrayDeque<>();
    private final ArrayDeque<InetSocketAddress> fromPex = new ArrayDeque<>();
    private final PriorityQueue<Attempt> retries = new PriorityQueue<>((a, b) -> Long.signum(a.retryAt - b.retryAt));
    /** Dials under way whose connection the torrent has not taken yet: each holds an engine slot. */
    private final Set<InetSocketAddress> dialling = new HashSet<>();

    /**
     * @param torrent   names the torrent in logs
     * @param freeSlots connections the torrent can still take (its limit less its peers)
     */
    Connector(Engine engine, InfoHash infoHash, Object torrent, IntSupplier freeSlots) {
        this.engine = engine;
        this.infoHash = infoHash;
        this.torrent = torrent;
        this.freeSlots = freeSlots;
    }

    private enum State { QUEUED, WAITING, DIALLING, CONNECTED }

    private static final class Attempt {
        final InetSocketAddress address;
        /** The info-hash to hand-shake with: the swarm the peer was found in (a hybrid's v1 or v2). */
        final InfoHash swarm;
        boolean pex;
        int failures;
        long retryAt;
        State state = State.QUEUED;

        Attempt(InetSocketAddress address, boolean pex, InfoHash swarm) {
            this.address = address;
            this.pex = pex;
            this.swarm = swarm;
        }
    }

    void start() {
        running = true;
        tick();
    }

    /**
     * Also leaves the engine's queue of torrents waiting for a dial ({@link DialSlots}): it holds
     * this connector and so the torrent, which a removal must let go.
     */
    void stop() {
        running = false;
        engine.dials().leave(this);
        waitingForDial.set(false); // started again, it queues when it finds the dials taken
    }

    /** A peer from a tracker, the DHT, a magnet link or the user. */
    void add(InetSocketAddress address) {
        add(address, false);
    }

    /** @param pex learnt over peer exchange: dialled last, and first to go when the set is full */
    void add(InetSocketAddress address, boolean pex) {
        add(address, pex, infoHash);
    }

    /**
     * A peer found in the swarm of {@code swarm}, a hash the torrent is registered under (a
     * hybrid's truncated v2 hash): it is dialled with that hash, the one it knows us by. A peer
     * known already keeps the hash it was first found under.
     */
    void add(InetSocketAddress address, boolean pex, InfoHash swarm) {
        if (banned(address)) {
            return;
        }
        synchronized (this) {
            Attempt a = known.get(address);
            if (a != null) {
                a.pex &= pex;
                return;
            }
            if (known.size() >= engine.settings().peerLimits().knownPeers() && (pex || !forgetQueuedPexPeer())) {
                dropped.increment();
                return;
            }
            known.put(address, new Attempt(address, pex, swarm));
            (pex ? fromPex : direct).addLast(address);
        }
        if (running) {
            tick();
        }
    }

    /** Makes room by forgetting the newest PEX address not dialled yet; amortised O(1). */
    private boolean forgetQueuedPexPeer() {
        for (InetSocketAddress address; (address = fromPex.pollLast()) != null; ) {
            Attempt a = known.get(address);
            if (a != null && a.pex && a.state == State.QUEUED) {
                known.remove(address);
                return true;
            }
        }
        return false;
    }

    /**
     * Queued at the engine for the next free dial slot: at most once, so set from queueing until
     * the engine wakes it ({@link #dialReturned}). The timer's ticks in between leave it set:
     * when each tick queued the torrent again, its spare entries took the dials returned later,
     * woke it with nothing left to dial, and the torrents behind it waited for their timers.
     */
    private final AtomicBoolean waitingForDial = new AtomicBoolean();

    /**
     * The engine took this connector from its queue as a dial was returned. With nothing left
     * to dial (its timer dialled meanwhile, or the torrent filled up) the turn passes on.
     */
    void dialReturned() {
        waitingForDial.set(false);
        if (dialDue() == 0 && !waitingForDial.get()) {
            engine.dials().wakeNext();
        }
    }

    /** Dials queued peers and those whose retry time has come, as far as the limits allow. */
    void tick() {
        dialDue();
    }

    /** @return the dials started */
    private int dialDue() {
        if (!running) {
            return 0;
        }
        int free = freeSlots.getAsInt();
        List<Attempt> dials = new ArrayList<>();
        synchronized (this) {
            long now = System.nanoTime();
            for (Attempt a; (a = retries.peek()) != null && now - a.retryAt >= 0; ) {
                retries.poll();
                if (known.get(a.address) == a && a.state == State.WAITING) {
                    a.state = State.QUEUED;
                    (a.pex ? fromPex : direct).addLast(a.address);
                }
            }
            while (dialling.size() < free) {
                Attempt a = nextQueued();
                if (a == null) {
                    break;
                }
                if (!engine.dials().take()) {
                    (a.pex ? fromPex : direct).addFirst(a.address);
                    if (waitingForDial.compareAndSet(false, true)) {
                        engine.dials().await(this);
                    }
                    break;
                }
                if (!engine.takeConnectionSlot()) {
                    engine.dials().giveBack();
                    (a.pex ? fromPex : direct).addFirst(a.address);
                    break;
                }
                a.state = State.DIALLING;
                dialling.add(a.address);
                dials.add(a);
            }
        }
        if (!running) {
            engine.dials().leave(this); // stopped while this tick queued it
        }
        dials.forEach(this::connect);
        return dials.size();
    }

    private Attempt nextQueued() {
        for (ArrayDeque<InetSocketAddress> queue : List.of(direct, fromPex)) {
            for (InetSocketAddress address; (address = queue.pollFirst()) != null; ) {
                Attempt a = known.get(address);
                if (a != null && a.state == State.QUEUED) {
                    return a;
                }
            }
        }
        return null;
    }

    private void connect(Attempt a) {
        engine.transport().connect(a.swarm, a.address).whenComplete((connection, failure) -> {
            engine.dials().giveBack();
            boolean slotHeld;
            synchronized (this) {
                // Still ours when nobody claimed it: failed, or taken by another owner of the
                // info-hash (a magnet link's torrent) with a slot of its own.
                slotHeld = dialling.remove(a.address);
                if (failure != null && known.get(a.address) == a && a.state == State.DIALLING) {
                    retryLater(a);
                }
            }
            if (slotHeld) {
                engine.returnConnectionSlot();
            }
            if (failure == null) {
                return;
            }
            LOG.debug("{}: cannot connect to {} (attempt {}): {}", torrent, a.address, a.failures,
                    failure.getMessage());
            // A dial is free again: the next peer need not wait for the torrent's timer.
            try {
                engine.scheduler().execute(this::tick);
            } catch (RejectedExecutionException e) {
                // The engine is closing.
            }
        });
    }

    private void retryLater(Attempt a) {
        a.failures++;
        if (a.failures >= MAX_FAILURES) {
            known.remove(a.address);
            return;
        }
        a.state = State.WAITING;
        a.retryAt = System.nanoTime() + (FIRST_RETRY_NANOS << Math.min(10, 2 * (a.failures - 1)));
        retries.add(a);
    }

    /**
     * The transport hands the torrent a connection to {@code address}: if it is one of our dials,
     * its connection slot passes to the torrent, which returns it when the peer goes (or now, if
     * it refuses the peer).
     *
     * @return whether the connection is ours and already holds an engine slot
     */
    synchronized boolean claim(InetSocketAddress address) {
        return dialling.remove(address);
    }

    /**
     * Nanoseconds until {@link #tick} has a peer to dial: 0 when one is queued and the torrent has
     * room, the time to the earliest retry otherwise, {@link Long#MAX_VALUE} when there is none. A
     * quiet torrent's timer sleeps no longer than this.
     */
    long dialDueIn(long now) {
        boolean room = freeSlots.getAsInt() > 0;
        synchronized (this) {
            if (room && (!direct.isEmpty() || !fromPex.isEmpty())) {
                return 0;
            }
            Attempt next = retries.peek();
            return next == null ? Long.MAX_VALUE : Math.max(0, next.retryAt - now);
        }
    }

    /** Dials that count against the torrent's connection limit. */
    synchronized int dialsInFlight() {
        return dialling.size();
    }

    /** The addresses known so far, to hand to the torrent that takes over from a magnet link. */
    synchronized Set<InetSocketAddress> known() {
        return Set.copyOf(known.keySet());
    }

    synchronized boolean isKnown(InetSocketAddress address) {
        return known.containsKey(address);
    }

    /** A connection to a known address is up: it is not dialled again until it closes. */
    synchronized void connected(InetSocketAddress address) {
        Attempt a = known.get(address);
        if (a != null) {
            a.failures = 0;
            a.state = State.CONNECTED;
        }
    }

    void disconnected(InetSocketAddress address, String reason) {
        boolean forget = reason.contains("both sides are seeds") || banned(address);
        synchronized (this) {
            Attempt a = known.get(address);
            if (a == null || a.state == State.QUEUED || a.state == State.WAITING) {
                return;
            }
            if (forget) {
                known.remove(address);
            } else {
                retryLater(a);
            }
        }
    }

    void ban(InetSocketAddress address) {
        banned.add(banKey(address));
        synchronized (this) {
            known.remove(address);
        }
        LOG.info("{}: banned {}", torrent, address);
    }

    int bannedCount() {
        return banned.size();
    }

    boolean banned(InetSocketAddress address) {
        return banned.contains(banKey(address)) || banned.contains(address.getAddress().getHostAddress());
    }

    private static String banKey(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        boolean shared = ip.isLoopbackAddress() || ip.isSiteLocalAddress() || ip.isLinkLocalAddress();
        return shared ? ip.getHostAddress() + ":" + address.getPort() : ip.getHostAddress();
    }
}
