package io.piecework.core.internal;

/**
 * The engine's tunables in plain form (the DS component maps its configuration onto it).
 *
 * @param maxPeersPerTorrent connections per torrent
 * @param maxConnections     connections across all torrents
 * @param uploadSlots        regular unchoke slots per torrent (one optimistic slot comes on top)
 * @param chokeRoundSeconds  seconds between choking rounds; the optimistic pick rotates every third
 * @param diskThreads        threads reading and writing blocks
 * @param pexIntervalSeconds seconds between peer exchange messages to a peer (BEP 11 asks for
 *                           no more than one a minute)
 * @param sendFromFiles      uploads send blocks straight from their files (sendfile) where storage
 *                           can lend them, instead of reading them into a buffer on the disk pool.
 *                           Off by default: for 16 KiB blocks, a header write plus a sendfile per
 *                           block cost more than copying blocks and writing many in one gathering
 *                           write (measured with benchmarks/throughput.sh, docs/architecture.md)
 * @param peerLimits         what one peer or address can make a torrent hold or do
 */
record EngineSettings(int maxPeersPerTorrent, int maxConnections, int uploadSlots, int chokeRoundSeconds,
                      int diskThreads, int pexIntervalSeconds, boolean sendFromFiles, PeerLimits peerLimits) {
    EngineSettings(int maxPeersPerTorrent, int maxConnections, int uploadSlots, int chokeRoundSeconds,
                   int diskThreads, int pexIntervalSeconds, boolean sendFromFiles) {
        this(maxPeersPerTorrent, maxConnections, uploadSlots, chokeRoundSeconds, diskThreads, pexIntervalSeconds,
                sendFromFiles, PeerLimits.DEFAULTS);
    }

    EngineSettings(int maxPeersPerTorrent, int maxConnections, int uploadSlots, int chokeRoundSeconds,
                   int diskThreads, int pexIntervalSeconds) {
        this(maxPeersPerTorrent, maxConnections, uploadSlots, chokeRoundSeconds, diskThreads, pexIntervalSeconds, false);
    }

    EngineSettings(int maxPeersPerTorrent, int maxConnections, int uploadSlots, int chokeRoundSeconds,
                   int diskThreads) {
        this(maxPeersPerTorrent, maxConnections, uploadSlots, chokeRoundSeconds, diskThreads, Pex.INTERVAL_SECONDS);
    }

    EngineSettings withSendFromFiles(boolean on) {
        return new EngineSettings(maxPeersPerTorrent, maxConnections, uploadSlots, chokeRoundSeconds, diskThreads,
                pexIntervalSeconds, on, peerLimits);
    }

    EngineSettings withPeerLimits(PeerLimits limits) {
        return new EngineSettings(maxPeersPerTorrent, maxConnections, uploadSlots, chokeRoundSeconds, diskThreads,
                pexIntervalSeconds, sendFromFiles, limits);
    }

    static EngineSettings defaults() {
        return new EngineSettings(50, 500, 4, 10, 2);
    }
}
