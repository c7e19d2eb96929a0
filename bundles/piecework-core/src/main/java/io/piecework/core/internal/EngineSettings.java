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
 */
record EngineSettings(int maxPeersPerTorrent, int maxConnections, int uploadSlots, int chokeRoundSeconds,
                      int diskThreads, int pexIntervalSeconds) {
    EngineSettings(int maxPeersPerTorrent, int maxConnections, int uploadSlots, int chokeRoundSeconds,
                   int diskThreads) {
        this(maxPeersPerTorrent, maxConnections, uploadSlots, chokeRoundSeconds, diskThreads, Pex.INTERVAL_SECONDS);
    }

    static EngineSettings defaults() {
        return new EngineSettings(50, 500, 4, 10, 2);
    }
}
