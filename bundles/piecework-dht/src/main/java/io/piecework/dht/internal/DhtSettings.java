package io.piecework.dht.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The DHT's configuration in plain types, so tests can build it directly.
 *
 * @param port               UDP port (0: any free port)
 * @param bindAddress        IPv4 address to bind ("0.0.0.0": all; empty: no IPv4 DHT)
 * @param bootstrap          host:port of nodes to join through when the table is empty
 * @param readOnly           BEP 43: queries carry {@code ro=1} and incoming queries are ignored
 * @param announceInterval   time between lookups and announces of one torrent (jittered ±10 %)
 * @param queryTimeout       a query without answer by then counts as failed
 * @param queriesPerSecond   incoming queries allowed per source IP, on average
 * @param queryBurst         incoming queries allowed per source IP at once
 * @param maxPending         most of our own queries in flight at once
 * @param maxTorrents        info-hashes kept in the peer store
 * @param maxPeersPerTorrent peers kept per info-hash
 * @param peerTtl            how long an announced peer is kept
 * @param stateFile          where the node id and routing table are saved; null: not saved
 * @param bindAddress6       IPv6 address of the BEP 32 node ("::": all; empty: no IPv6 DHT); a host
 *                           without IPv6 keeps the IPv4 node
 */
public record DhtSettings(int port, String bindAddress, List<String> bootstrap, boolean readOnly,
                          Duration announceInterval, Duration queryTimeout, int queriesPerSecond, int queryBurst,
                          int maxPending, int maxTorrents, int maxPeersPerTorrent, Duration peerTtl, Path stateFile,
                          String bindAddress6) {
    public static final Duration TOKEN_ROTATION = Duration.ofMinutes(5);
    public static final Duration BUCKET_REFRESH = Duration.ofMinutes(15);
    public static final Duration MAINTENANCE = Duration.ofSeconds(10);
    public static final Duration SAVE_INTERVAL = Duration.ofMinutes(10);

    public DhtSettings {
        bootstrap = List.copyOf(bootstrap);
        bindAddress = bindAddress == null ? "" : bindAddress.trim();
        bindAddress6 = bindAddress6 == null ? "" : bindAddress6.trim();
    }

    /** IPv4 only, as before BEP 32. */
    public DhtSettings(int port, String bindAddress, List<String> bootstrap, boolean readOnly,
                       Duration announceInterval, Duration queryTimeout, int queriesPerSecond, int queryBurst,
                       int maxPending, int maxTorrents, int maxPeersPerTorrent, Duration peerTtl, Path stateFile) {
        this(port, bindAddress, bootstrap, readOnly, announceInterval, queryTimeout, queriesPerSecond, queryBurst,
                maxPending, maxTorrents, maxPeersPerTorrent, peerTtl, stateFile, "");
    }

    /**
     * For tests: loopback, any port, no bootstrap, no state file, and a query limit high enough
     * for a whole swarm that shares 127.0.0.1.
     */
    public static DhtSettings loopback() {
        return new DhtSettings(0, "127.0.0.1", List.of(), false, Duration.ofMinutes(15), Duration.ofSeconds(2), 1000,
                1000, 256, 2000, 100, Duration.ofMinutes(30), null);
    }

    /** For tests: {@link #loopback()} on ::1 only (BEP 32), no IPv4 socket. */
    public static DhtSettings loopback6() {
        return loopback().withBindAddresses("", "::1");
    }

    public DhtSettings withBindAddresses(String v4, String v6) {
        return new DhtSettings(port, v4, bootstrap, readOnly, announceInterval, queryTimeout, queriesPerSecond,
                queryBurst, maxPending, maxTorrents, maxPeersPerTorrent, peerTtl, stateFile, v6);
    }

    public DhtSettings withRateLimit(int perSecond, int burst) {
        return new DhtSettings(port, bindAddress, bootstrap, readOnly, announceInterval, queryTimeout, perSecond,
                burst, maxPending, maxTorrents, maxPeersPerTorrent, peerTtl, stateFile, bindAddress6);
    }

    public DhtSettings withBootstrap(List<String> nodes) {
        return new DhtSettings(port, bindAddress, nodes, readOnly, announceInterval, queryTimeout, queriesPerSecond,
                queryBurst, maxPending, maxTorrents, maxPeersPerTorrent, peerTtl, stateFile, bindAddress6);
    }

    public DhtSettings withReadOnly(boolean ro) {
        return new DhtSettings(port, bindAddress, bootstrap, ro, announceInterval, queryTimeout, queriesPerSecond,
                queryBurst, maxPending, maxTorrents, maxPeersPerTorrent, peerTtl, stateFile, bindAddress6);
    }

    public DhtSettings withAnnounceInterval(Duration interval) {
        return new DhtSettings(port, bindAddress, bootstrap, readOnly, interval, queryTimeout, queriesPerSecond,
                queryBurst, maxPending, maxTorrents, maxPeersPerTorrent, peerTtl, stateFile, bindAddress6);
    }

    public DhtSettings withStateFile(Path file) {
        return new DhtSettings(port, bindAddress, bootstrap, readOnly, announceInterval, queryTimeout, queriesPerSecond,
                queryBurst, maxPending, maxTorrents, maxPeersPerTorrent, peerTtl, file, bindAddress6);
    }
}
