package io.piecework.benchmarks.strategy;

import io.piecework.api.strategy.Picker;
import io.piecework.api.strategy.RequestStrategy;
import io.piecework.api.strategy.UpdateReason;
import io.piecework.strategy.batched.BatchedStrategy;
import io.piecework.strategy.cached.CachedStrategy;
import io.piecework.strategy.naive.NaiveStrategy;
import io.piecework.compare.CountingLock;
import io.piecework.compare.SimulatedPeer;
import io.piecework.compare.SimulatedTorrent;
import java.util.BitSet;
import java.util.Random;

/**
 * A running download of {@value #PIECES} pieces of {@value #BLOCKS} blocks with {@value #PEERS}
 * peers, each holding a random share (20 to 95 %) of the pieces and a pipeline of
 * {@value #TARGET} blocks kept full. Harness work (returning blocks) is kept out of the lock
 * counts; it allocates nothing, so allocation per operation is the strategy's.
 */
final class Swarm {
    static final int PIECES = 16_384;
    static final int BLOCKS = 16;
    static final int PEERS = 50;
    static final int TARGET = 16;

    final SimulatedTorrent torrent = new SimulatedTorrent(PIECES, BLOCKS, 42);
    final SimulatedPeer[] peers = new SimulatedPeer[PEERS];
    /** Each peer's pieces at connection. */
    final BitSet[] initialPieces = new BitSet[PEERS];
    final Picker picker;
    private final BatchedStrategy batched;
    private int next;

    Swarm(String strategy) {
        batched = strategy.equals("batched") ? new BatchedStrategy(3_600_000) : null;
        RequestStrategy s = switch (strategy) {
            case "naive" -> new NaiveStrategy();
            case "cached" -> new CachedStrategy();
            case "batched" -> batched;
            default -> throw new IllegalArgumentException(strategy);
        };
        picker = s.open(torrent);
        Random random = new Random(7);
        CountingLock lock = torrent.lock();
        lock.lock();
        try {
            for (int i = 0; i < PEERS; i++) {
                BitSet pieces = new BitSet(PIECES);
                double share = 0.2 + 0.75 * random.nextDouble();
                for (int p = 0; p < PIECES; p++) {
                    if (random.nextDouble() < share) {
                        pieces.set(p);
                    }
                }
                initialPieces[i] = pieces;
                peers[i] = torrent.connect(pieces, TARGET);
                picker.peerPiecesReset(peers[i]);
            }
        } finally {
            lock.unlock();
        }
        for (SimulatedPeer p : peers) {
            picker.requestUpdate(p, UpdateReason.UNCHOKED | UpdateReason.PIPELINE_DRY);
        }
        if (torrent.blocksRequested() != (long) PEERS * TARGET) {
            throw new IllegalStateException("pipelines not filled: " + torrent.blocksRequested());
        }
    }

    /**
     * One request update: the next peer's pipeline ran dry (its blocks are returned as if
     * rejected) and the strategy refills it. Returns the lock acquisitions the strategy made.
     */
    long updateOne() {
        SimulatedPeer p = peers[next];
        next = (next + 1) % PEERS;
        CountingLock lock = torrent.lock();
        lock.lock();
        try {
            torrent.dropAll(p);
        } finally {
            lock.unlock();
        }
        long before = lock.acquisitions();
        picker.requestUpdate(p, UpdateReason.BLOCK_RECEIVED | UpdateReason.PIPELINE_DRY);
        return lock.acquisitions() - before;
    }

    /**
     * A round of {@value #PEERS} request updates: every peer got half its pipeline back, the
     * last one all of it (its pipeline ran dry). Returns the strategy's lock acquisitions.
     */
    long round() {
        CountingLock lock = torrent.lock();
        lock.lock();
        try {
            for (int i = 0; i < PEERS - 1; i++) {
                for (int b = 0; b < TARGET / 2; b++) {
                    torrent.drop(peers[i]);
                }
            }
            torrent.dropAll(peers[PEERS - 1]);
        } finally {
            lock.unlock();
        }
        long before = lock.acquisitions();
        for (int i = 0; i < PEERS - 1; i++) {
            picker.requestUpdate(peers[i], UpdateReason.BLOCK_RECEIVED);
        }
        picker.requestUpdate(peers[PEERS - 1], UpdateReason.BLOCK_RECEIVED | UpdateReason.PIPELINE_DRY);
        return lock.acquisitions() - before;
    }

    /** Blocks in flight over all peers; the pipelines stay full in steady state. */
    long inFlight() {
        long n = 0;
        for (SimulatedPeer p : peers) {
            n += p.inFlight();
        }
        return n;
    }

    void close() {
        picker.close();
        if (batched != null) {
            batched.deactivate();
        }
    }
}
