package io.piecework.compare.internal;

/**
 * One comparison's swarm: {@code torrents} torrents of {@code pieces} pieces of
 * {@code blocksPerPiece} blocks, each with {@code peers} simulated peers, driven by
 * {@code threads} event-loop threads; per strategy {@code warmupSeconds} unmeasured, then
 * {@code seconds} measured while downloading, then {@code idleSeconds} measured idle. The
 * peers' rates are scaled down, all alike, when together they would exceed a download link
 * of {@code linkMiB} MiB/s: a client with a thousand torrents does not download each at
 * the rate of one.
 */
record Scenario(int torrents, int peers, int pieces, int blocksPerPiece, double seconds,
        double warmupSeconds, double idleSeconds, int threads, long seed, double linkMiB) {
    static final double DEFAULT_LINK_MIB = 400;
    /** Mean time between a peer's swarm events (have, choke, reconnect) while downloading. */
    static final double EVENT_SECONDS = 2.0;
    /** Mean time between a peer's haves while idle: the swarm goes on without us. */
    static final double IDLE_EVENT_SECONDS = 30.0;
    /** Slowest and fastest peer, in blocks per second (16 KiB blocks: 64 KiB/s to 1 MiB/s). */
    static final double MIN_RATE = 4;
    static final double MAX_RATE = 64;
    /** The mean of the log-uniform rate between MIN_RATE and MAX_RATE. */
    static final double MEAN_RATE = (MAX_RATE - MIN_RATE) / Math.log(MAX_RATE / MIN_RATE);
    /** Blocks of 16 KiB in a MiB. */
    static final double BLOCKS_PER_MIB = 64;
    /** How much of a peer's rate its pipeline holds, in seconds (bounded by 2 and 32 blocks). */
    static final double PIPELINE_SECONDS = 0.5;
    /** Share of pieces that fail their hash check. */
    static final double FAIL_RATE = 0.01;

    Scenario {
        if (torrents < 1 || peers < 1 || pieces < 1 || blocksPerPiece < 1 || threads < 1) {
            throw new IllegalArgumentException("torrents, peers, pieces, blocks and threads must be at least 1");
        }
        if (!(seconds > 0) || warmupSeconds < 0 || idleSeconds < 0 || !(linkMiB > 0)) {
            throw new IllegalArgumentException("seconds and link must be positive");
        }
    }

    static Scenario of(int torrents, int peers, int pieces, double seconds, int threads, long seed, double linkMiB) {
        return new Scenario(torrents, peers, pieces, 16, seconds, Math.min(2, seconds / 2),
                Math.min(3, Math.max(1, seconds / 3)), threads, seed, linkMiB);
    }

    /** The factor every peer's rate is multiplied by: 1, or less when the link is the limit. */
    double rateScale() {
        double demand = (double) torrents * peers * MEAN_RATE;
        return Math.min(1, linkMiB * BLOCKS_PER_MIB / demand);
    }
}
