package io.piecework.loadtest.internal;

/**
 * One strategy's figures. Lock figures are summed over the torrents (waits can add up to
 * more than the wall time when many threads wait at once); the p50 columns are the median
 * torrent's, the p99 columns the worst torrent's.
 *
 * @param downloadNanos     wall time from the first add to the last completion
 * @param downloadedBytes   payload bytes the engine received (its own counter)
 * @param engineCpuNanos    the engine's threads' CPU while downloading
 * @param engineAllocBytes  bytes the engine's threads allocated while downloading, -1 unknown
 * @param peersCpuNanos     the fake peers' threads' CPU while downloading
 * @param idleNanos         the idle window, everything complete and the peers connected
 * @param idleCpuNanos      the engine's threads' CPU in that window
 * @param idlePeers         connections the engine reported in that window
 * @param heapBytes         GC'd used heap after the run minus before it (with the fake peers' ends)
 * @param fakeHeapBytes     of that, the fake peers' ends (calibrated per connection end)
 * @param churned           connections the fake peers closed for churn
 * @param gcCount           collections while downloading, the whole JVM (fake peers included)
 * @param gcMillis          their accumulated time as the collectors report it
 * @param poolTaken         bitmaps taken from the engine's bitmap pool while downloading, -1 no pool
 * @param poolHits          of those, reused ones
 * @param lockHandoffs      work handed to the lock's holder instead of waiting for the lock
 */
record Result(String strategy, int torrents, long downloadNanos, long downloadedBytes, long blocks,
              long lockAcquisitions, long lockWaitNanos, long lockHoldNanos, long waitP50, long waitP99,
              long holdP50, long holdP99, long engineCpuNanos, long engineAllocBytes, long peersCpuNanos, long idleNanos,
              long idleCpuNanos, int idlePeers, long heapBytes, long fakeHeapBytes, long churned,
              int hashFailures, long gcCount, long gcMillis, long poolTaken, long poolHits, long lockHandoffs) {
    private static final double GIB = 1L << 30;

    double waitPercentOfWall() {
        return 100.0 * lockWaitNanos / downloadNanos;
    }

    double acquisitionsPerBlock() {
        return blocks == 0 ? 0 : (double) lockAcquisitions / blocks;
    }

    double handoffsPerBlock() {
        return blocks == 0 ? 0 : (double) lockHandoffs / blocks;
    }

    double engineCpuSecondsPerGiB() {
        return downloadedBytes == 0 ? 0 : engineCpuNanos / 1e9 / (downloadedBytes / GIB);
    }

    /** MiB the engine allocated per GiB downloaded, or -1 when unknown. */
    double engineAllocMiBPerGiB() {
        return engineAllocBytes < 0 || downloadedBytes == 0 ? -1 : engineAllocBytes / (double) (1 << 20) / (downloadedBytes / GIB);
    }

    double peersCpuSecondsPerGiB() {
        return downloadedBytes == 0 ? 0 : peersCpuNanos / 1e9 / (downloadedBytes / GIB);
    }

    double throughputMiBps() {
        return downloadedBytes / (double) (1 << 20) / (downloadNanos / 1e9);
    }

    double idleCpuPercentOfCore() {
        return 100.0 * idleCpuNanos / idleNanos;
    }

    double heapKiBPerTorrent() {
        return heapBytes / 1024.0 / torrents;
    }

    double engineHeapKiBPerTorrent() {
        return (heapBytes - fakeHeapBytes) / 1024.0 / torrents;
    }
}
