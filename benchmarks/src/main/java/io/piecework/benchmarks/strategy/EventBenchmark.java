package io.piecework.benchmarks.strategy;

import io.piecework.compare.CountingLock;
import io.piecework.compare.SimulatedPeer;
import io.piecework.compare.SimulatedTorrent;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The price of caching: what the engine's events cost a strategy (the naive one ignores them),
 * on the same 16k-piece, 50-peer swarm. {@code have}: a peer announces the next piece it lacks;
 * once it has every piece it is reset to its first bitfield, so the time includes that bulk
 * re-sort spread over the thousands of haves before it. {@code reconnect}: a peer disconnects
 * and a peer with the same pieces connects (peer gone plus bitfield).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EventBenchmark {
    @Param({"naive", "cached"})
    public String strategy;

    private Swarm swarm;
    private final int[] cursor = new int[Swarm.PEERS];
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        swarm = new Swarm(strategy);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        swarm.close();
    }

    @Benchmark
    public void have() {
        int k = next;
        next = (next + 1) % Swarm.PEERS;
        SimulatedPeer p = swarm.peers[k];
        SimulatedTorrent t = swarm.torrent;
        int piece = cursor[k];
        while (piece < Swarm.PIECES && p.has(piece)) {
            piece++;
        }
        CountingLock lock = t.lock();
        lock.lock();
        try {
            if (piece == Swarm.PIECES) {
                t.resetPieces(p, swarm.initialPieces[k]);
                swarm.picker.peerPiecesReset(p);
                cursor[k] = 0;
            } else {
                t.announce(p, piece);
                swarm.picker.peerHas(p, piece);
                cursor[k] = piece + 1;
            }
        } finally {
            lock.unlock();
        }
    }

    @Benchmark
    public void reconnect() {
        int k = next;
        next = (next + 1) % Swarm.PEERS;
        SimulatedTorrent t = swarm.torrent;
        CountingLock lock = t.lock();
        lock.lock();
        try {
            SimulatedPeer gone = swarm.peers[k];
            t.disconnect(gone);
            swarm.picker.peerGone(gone);
            SimulatedPeer p = t.connect(swarm.initialPieces[k], Swarm.TARGET);
            swarm.picker.peerPiecesReset(p);
            swarm.peers[k] = p;
        } finally {
            lock.unlock();
        }
    }
}
