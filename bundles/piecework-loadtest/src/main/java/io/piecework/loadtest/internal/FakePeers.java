package io.piecework.loadtest.internal;

import io.piecework.api.metainfo.InfoHash;
import java.net.InetSocketAddress;

/**
 * The fake seeders as a run sees them: in the engine's JVM ({@link FakeSwarm}) or in a child
 * JVM of their own ({@link RemoteSwarm}, {@code --fork}), where their sockets do not count
 * against the engine process's file-descriptor limit and their heap is not in its figure.
 */
interface FakePeers extends AutoCloseable {
    /** Starts {@code count} seeders of one torrent that dial the engine at {@code engine}. */
    void dial(InfoHash infoHash, int count, InetSocketAddress engine);

    /** Every second, closes each connection with probability {@code fraction}. */
    void churn(double fraction, long seed);

    void stopChurn();

    /** Open fake connections. */
    int connections();

    long churned();

    /** Connects that failed (a full backlog on a loaded machine) and were tried again. */
    long redials();

    /** The first protocol violation a fake peer saw from the engine, or null. */
    String violation();

    /** Waits until {@code count} fake connections are open; false if not within {@code millis}. */
    boolean awaitLive(int count, long millis) throws InterruptedException;

    /**
     * CPU nanos of the fake peers' own process so far, or -1 when they run in this JVM (their
     * threads are then counted by {@link ThreadCpu}).
     */
    long processCpuNanos();

    @Override
    void close() throws InterruptedException;
}
