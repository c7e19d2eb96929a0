package io.piecework.core.internal;

import io.piecework.api.metainfo.InfoHash;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outgoing connections of one torrent: the peers we know of, reconnects with exponential
 * backoff, and bans. A ban covers the peer's IP address, except on loopback and private
 * networks where several peers share one address: there it covers the address and port.
 */
final class Connector {
    private static final Logger LOG = LoggerFactory.getLogger(Connector.class);
    static final int MAX_FAILURES = 6;
    static final long FIRST_RETRY_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Engine engine;
    private final InfoHash infoHash;
    private final Object torrent;
    private final Map<InetSocketAddress, Attempt> known = new ConcurrentHashMap<>();
    private final Set<String> banned = ConcurrentHashMap.newKeySet();
    private volatile boolean running;

    /** @param torrent names the torrent in logs */
    Connector(Engine engine, InfoHash infoHash, Object torrent) {
        this.engine = engine;
        this.infoHash = infoHash;
        this.torrent = torrent;
    }

    private static final class Attempt {
        volatile int failures;
        volatile long retryAt;
        volatile boolean busy;
    }

    void start() {
        running = true;
        tick();
    }

    void stop() {
        running = false;
    }

    void add(InetSocketAddress address) {
        if (banned(address)) {
            return;
        }
        known.putIfAbsent(address, new Attempt());
        if (running) {
            tick();
        }
    }

    /** Connects to known peers whose retry time has come. */
    void tick() {
        if (!running) {
            return;
        }
        long now = System.nanoTime();
        for (Map.Entry<InetSocketAddress, Attempt> e : known.entrySet()) {
            Attempt a = e.getValue();
            if (!a.busy && a.failures < MAX_FAILURES && now - a.retryAt >= 0
                    && engine.hasConnectionRoom()) {
                connect(e.getKey(), a);
            }
        }
    }

    private void connect(InetSocketAddress address, Attempt a) {
        a.busy = true;
        engine.transport().connect(infoHash, address).whenComplete((connection, failure) -> {
            if (failure != null) {
                a.failures++;
                a.retryAt = System.nanoTime() + (FIRST_RETRY_NANOS << Math.min(10, 2 * (a.failures - 1)));
                a.busy = false;
                LOG.debug("{}: cannot connect to {} (attempt {}): {}", torrent, address, a.failures,
                        failure.getMessage());
            }
        });
    }

    /** The addresses known so far, to hand to the torrent that takes over from a magnet link. */
    Set<InetSocketAddress> known() {
        return Set.copyOf(known.keySet());
    }

    /** A connection to a known address is up: it stays busy until it closes. */
    void connected(InetSocketAddress address) {
        Attempt a = known.get(address);
        if (a != null) {
            a.failures = 0;
            a.busy = true;
        }
    }

    void disconnected(InetSocketAddress address, String reason) {
        Attempt a = known.get(address);
        if (a == null) {
            return;
        }
        if (reason.contains("both sides are seeds") || banned(address)) {
            known.remove(address);
            return;
        }
        a.failures++;
        a.retryAt = System.nanoTime() + (FIRST_RETRY_NANOS << Math.min(10, 2 * (a.failures - 1)));
        a.busy = false;
    }

    void ban(InetSocketAddress address) {
        banned.add(banKey(address));
        known.remove(address);
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
