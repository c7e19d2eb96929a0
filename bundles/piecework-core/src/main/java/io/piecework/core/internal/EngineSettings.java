package io.piecework.core.internal;

/**
 * The engine's tunables in plain form (the DS component maps its configuration onto it).
 *
 * @param maxPeersPerTorrent connections per torrent
 * @param maxConnections     connections across all torrents
 * @param uploadSlots        regular unchoke slots per torrent (one optimistic slot comes on top)
 * @param chokeRoundSeconds  seconds between choking rounds; the optimistic pick rotates every third
 * @param diskThreads        threads reading and writing blocks
 */
record EngineSettings(int maxPeersPerTorrent, int maxConnections, int uploadSlots, int chokeRoundSeconds,
                      int diskThreads) {
    static EngineSettings defaults() {
        return new EngineSettings(50, 500, 4, 10, 2);
    }
}
