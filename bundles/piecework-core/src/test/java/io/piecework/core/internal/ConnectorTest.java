package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.PeerId;
import io.piecework.transport.PeerConnection;
import io.piecework.transport.PeerTransport;
import io.piecework.transport.TorrentPeers;
import io.piecework.transport.TorrentRegistration;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The connector's bookkeeping against a transport that only records the dials it is asked for. */
class ConnectorTest {
    private static final InfoHash HASH = InfoHash.of(new byte[20]);

    /** Dials that never finish until the test finishes them. */
    private static final class Dials implements PeerTransport {
        final List<InetSocketAddress> asked = new ArrayList<>();
        final List<CompletableFuture<PeerConnection>> pending = new ArrayList<>();

        @Override
        public PeerId localPeerId() {
            return PeerId.generate(new Random(1));
        }

        @Override
        public int port() {
            return -1;
        }

        @Override
        public TorrentRegistration register(InfoHash infoHash, TorrentPeers torrent) {
            return () -> { };
        }

        synchronized int count() {
            return asked.size();
        }

        synchronized InetSocketAddress asked(int i) {
            return asked.get(i);
        }

        /** Ends dial {@code i} as connected: its dial slot goes back to the engine. */
        void connect(int i) {
            CompletableFuture<PeerConnection> f;
            synchronized (this) {
                f = pending.get(i);
            }
            f.complete(null);
        }

        @Override
        public synchronized CompletableFuture<PeerConnection> connect(InfoHash infoHash, InetSocketAddress address) {
            asked.add(address);
            CompletableFuture<PeerConnection> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }
    }

    private final Dials dials = new Dials();
    private Engine engine;

    private Connector connector(PeerLimits limits, int freeSlots) {
        engine = new Engine(dials, new EngineSettings(50, 500, 4, 10, 2).withPeerLimits(limits));
        return new Connector(engine, HASH, "test", () -> freeSlots);
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private static InetSocketAddress testNet(int n) {
        return new InetSocketAddress("192.0.2." + (1 + n % 250), 1024 + n / 250);
    }

    @Test
    void theKnownSetStaysBoundedAndPexPeersMakeRoomForOthers() {
        Connector c = connector(new PeerLimits(100, 10, 2, 0, 120), 50);
        for (int i = 0; i < 10_000; i++) {
            c.add(testNet(i), true);
        }
        assertEquals(100, c.known().size());
        assertEquals(9_900, c.dropped.sum());
        InetSocketAddress tracker = new InetSocketAddress("198.51.100.1", 6881);
        c.add(tracker);
        assertEquals(100, c.known().size());
        assertTrue(c.isKnown(tracker), "a tracker's peer displaced a PEX one");
    }

    @Test
    void dialsInFlightAreCappedHoldConnectionSlotsAndPreferDirectSources() {
        Connector c = connector(new PeerLimits(2_000, 3, 2, 0, 120), 50);
        for (int i = 0; i < 20; i++) {
            c.add(testNet(i), true);
        }
        InetSocketAddress tracker = new InetSocketAddress("198.51.100.1", 6881);
        c.add(tracker);
        c.start();
        c.tick();
        assertEquals(3, dials.asked.size(), "no more dials than the cap");
        assertEquals(tracker, dials.asked.get(0), "a tracker's peer goes before PEX peers");
        assertEquals(3, c.dialsInFlight());
        assertTrue(engine.takeConnectionSlot());
        // Every dial holds an engine slot: with 500 allowed, 3 dials and 1 taken leave 496.
        for (int i = 0; i < 496; i++) {
            assertTrue(engine.takeConnectionSlot());
        }
        assertFalse(engine.takeConnectionSlot(), "dials count against the connection limit");

        // A failed dial gives back its slot and its place: the next peer is dialled with them.
        dials.pending.get(0).completeExceptionally(new IOException("refused"));
        assertTrue(LoopbackEngines.within(5_000, () -> dials.count() == 4), "the next peer is dialled");
        assertEquals(3, c.dialsInFlight());
        assertFalse(engine.takeConnectionSlot());
    }

    @Test
    void noDialsBeyondTheTorrentsFreeSlots() {
        Connector c = connector(PeerLimits.DEFAULTS, 2);
        for (int i = 0; i < 20; i++) {
            c.add(testNet(i));
        }
        c.start();
        assertEquals(2, dials.asked.size());
    }

    /** A quiet torrent's timer sleeps no longer than the connector allows. */
    @Test
    void tellsWhenItNextHasAPeerToDial() {
        Connector c = connector(PeerLimits.DEFAULTS, 10);
        long now = System.nanoTime();
        assertEquals(Long.MAX_VALUE, c.dialDueIn(now), "nobody known: never");
        c.add(testNet(1)); // not started: queued, not dialled
        assertEquals(0, c.dialDueIn(now), "queued with room: now");
        c.start();
        assertEquals(1, dials.count());
        assertEquals(Long.MAX_VALUE, c.dialDueIn(now), "dialling: nothing more to do until it ends");
        dials.pending.get(0).completeExceptionally(new IOException("refused"));
        long due = c.dialDueIn(System.nanoTime());
        assertTrue(due > 0 && due <= Connector.FIRST_RETRY_NANOS, "a failed dial is retried after its backoff: " + due);
        Connector full = new Connector(engine, HASH, "full", () -> 0);
        full.add(testNet(2));
        assertEquals(Long.MAX_VALUE, full.dialDueIn(now), "no room: a peer leaving wakes the torrent instead");
    }

    /** Room each connector of {@link #queuedBehindOneDial} reports. */
    private final AtomicInteger[] room = {new AtomicInteger(10), new AtomicInteger(10), new AtomicInteger(10)};

    /** One dial for the whole engine: {@code first} dials, then each of {@code others} finds it taken. */
    private Connector[] queuedBehindOneDial(String... others) {
        engine = new Engine(dials, new EngineSettings(50, 500, 4, 10, 2).withPeerLimits(new PeerLimits(2_000, 1, 2, 0, 120)));
        Connector[] c = new Connector[1 + others.length];
        c[0] = new Connector(engine, HASH, "first", room[0]::get);
        for (int i = 0; i < others.length; i++) {
            c[1 + i] = new Connector(engine, HASH, others[i], room[1 + i]::get);
        }
        for (int i = 0; i < c.length; i++) {
            c[i].add(testNet(i));
            c[i].start();
        }
        assertEquals(1, dials.count(), "one dial at a time");
        return c;
    }

    /**
     * A torrent that found every dial taken waits in the engine's queue once, however often its
     * timer ticks meanwhile. Queued again at each tick, its spare entries took the dials returned
     * later and woke it with nothing left to dial, while the torrents queued behind it waited for
     * their own timers: the load test's second strategy dialled at a fraction of the first's pace.
     */
    @Test
    void aTorrentWaitsForADialOnceHoweverOftenItTicks() {
        Connector[] c = queuedBehindOneDial("ticking", "behind");
        for (int i = 0; i < 5; i++) {
            c[1].tick(); // its timer, while the only dial is taken
        }
        assertEquals(2, engine.dials().waiting(), "each waiting torrent once");
        dials.connect(0);
        assertTrue(LoopbackEngines.within(5_000, () -> dials.count() == 2), "the returned dial wakes the ticking torrent");
        assertEquals(testNet(1), dials.asked(1));
        dials.connect(1);
        assertTrue(LoopbackEngines.within(5_000, () -> dials.count() == 3), "and its returned dial the torrent behind it");
        assertEquals(testNet(2), dials.asked(2));
    }

    /**
     * A removed torrent's connector leaves the queue when it stops: the queue held it, and
     * through it the removed torrent (its pieces, storage and strategy state) until a later dial
     * was returned, and that dial then woke it for nothing.
     */
    @Test
    void aStoppedTorrentLeavesTheDialQueue() {
        Connector[] c = queuedBehindOneDial("removed", "behind");
        c[1].stop();
        assertEquals(1, engine.dials().waiting(), "only the torrent behind waits");
        dials.connect(0);
        assertTrue(LoopbackEngines.within(5_000, () -> dials.count() == 2), "the returned dial goes to the torrent behind");
        assertEquals(testNet(2), dials.asked(1));
        assertEquals(0, engine.dials().waiting());
    }

    /**
     * A woken torrent with nothing left to dial (here it filled up with incoming peers while it
     * waited) passes the returned dial on to the next one instead of leaving it unused.
     */
    @Test
    void aWokenTorrentWithNothingToDialPassesTheDialOn() {
        queuedBehindOneDial("filled", "behind");
        room[1].set(0);
        dials.connect(0);
        assertTrue(LoopbackEngines.within(5_000, () -> dials.count() == 2), "the torrent behind dials");
        assertEquals(testNet(2), dials.asked(1));
    }
}
