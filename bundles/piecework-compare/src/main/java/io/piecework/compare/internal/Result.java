package io.piecework.compare.internal;

/**
 * One strategy's figures. Times in nanoseconds; {@code bytesPerUpdate} is -1 when the JVM
 * cannot count allocations.
 *
 * @param waitPercent  time threads spent waiting for torrents' locks, as a share of wall time
 * @param heapPerTorrent         heap per idle torrent: the simulated torrent and its peers (the
 *                               engine's part) plus the strategy's caches
 * @param strategyHeapPerTorrent the strategy's part alone: what closing its pickers frees
 * @param idleRequests blocks requested while idle: 0 for a correct strategy
 */
record Result(String strategy, long updates, double updatesPerSecond, double cpuNanosPerUpdate,
        double bytesPerUpdate, double lockAcquisitionsPerSecond, long waitP50, long waitP99,
        long holdP50, long holdP99, double waitPercent, double inFlight, double blocksPerSecond,
        double idleCpuPercent, double heapPerTorrent, double strategyHeapPerTorrent, long idleRequests) {
}
