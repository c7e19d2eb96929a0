package io.piecework.compare.internal;

/**
 * One comparison's swarm: {@code torrents} torrents of {@code pieces} pieces of
 * {@code blocksPerPiece} blocks, each with {@code peers} simulated peers, driven by
 * {@code threads} event-loop threads; per strategy {@code warmupSeconds} unmeasured, then
 * {@code seconds} measured while downloading, then {@code idleSeconds} measured idle.
 */
record Scenario(int torrents, int peers, int pieces, int blocksPerPiece, double seconds,
        double warmupSeconds, double idleSeconds, int threads, long seed) {
    /** Mean time between a peer's swarm events (have, choke, reconnect) while downloading. */
    static final double EVENT_SECONDS = 2.0;
    /** Mean time between a peer's haves while idle: the swarm goes on without us. */
    static final double IDLE_EVENT_SECONDS = 30.0;
    /** Slowest and fastest peer, in blocks per second (16 KiB blocks: 64 KiB/s to 1 MiB/s). */
    static final double MIN_RATE = 4;
    static final double MAX_RATE = 64;
    /** How much of a peer's rate its pipeline holds, in seconds (bounded by 2 and 32 blocks). */
    static final double PIPELINE_SECONDS = 0.5;
    /** Share of pieces that fail their hash check. */
    static final double FAIL_RATE = 0.01;

    Scenario {
        if (torrents < 1 || peers < 1 || pieces < 1 || blocksPerPiece < 1 || threads < 1) {
            throw new IllegalArgumentException("torrents, peers, pieces, blocks and threads must be at least 1");
        }
        if (!(seconds > 0) || warmupSeconds < 0 || idleSeconds < 0) {
            throw new IllegalArgumentException("seconds must be positive");
        }
    }

    static Scenario of(int torrents, int peers, int pieces, double seconds, int threads, long seed) {
        return new Scenario(torrents, peers, pieces, 16, seconds, Math.min(2, seconds / 2),
                Math.min(3, Math.max(1, seconds / 3)), threads, seed);
    }
}
