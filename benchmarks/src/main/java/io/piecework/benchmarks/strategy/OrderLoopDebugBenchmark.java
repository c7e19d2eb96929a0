package io.piecework.benchmarks.strategy;

import io.piecework.api.strategy.PieceOrder;
import io.piecework.compare.CountingLock;
import io.piecework.compare.SimulatedPeer;
import io.piecework.compare.SimulatedTorrent;
import java.util.ArrayList;
import java.util.List;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pattern the seed's analysis blamed: a debug statement for every piece inside the loop that
 * orders the pieces, run under the torrent's lock, with debug off. One operation is one ordering
 * of the swarm's {@value Swarm#PIECES} pieces (availability over {@value Swarm#PEERS} peers, the
 * wanted pieces collected and sorted, as the naive strategy does on every update), so its time is
 * the lock's hold time. The statement is absent, a parameterised call with three arguments (two
 * of them boxed ints, most outside the small-integer cache: what the JIT must prove unused), the
 * same behind {@code isDebugEnabled()}, or a message built by concatenation (the level is
 * checked only after the string is built). Compare times and, with {@code -prof gc}, bytes per
 * operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OrderLoopDebugBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(OrderLoopDebugBenchmark.class);

    /** Which statement runs for every piece of the ordering. */
    @Param({"none", "parameterised", "guarded", "concatenated"})
    public String statement;

    private Swarm swarm;
    /** {@link #statement} as an index, so choosing it costs the same few cycles in every variant. */
    private int mode;

    @Setup(Level.Trial)
    public void setUp() {
        if (LOG.isDebugEnabled()) {
            throw new IllegalStateException("debug must be off for this benchmark");
        }
        mode = List.of("none", "parameterised", "guarded", "concatenated").indexOf(statement);
        swarm = new Swarm("naive");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        swarm.close();
    }

    @Benchmark
    public List<Integer> orderUnderLock() {
        SimulatedTorrent torrent = swarm.torrent;
        CountingLock lock = torrent.lock();
        lock.lock();
        try {
            return order(torrent);
        } finally {
            lock.unlock();
        }
    }

    private List<Integer> order(SimulatedTorrent torrent) {
        int[] availability = new int[torrent.pieceCount()];
        for (SimulatedPeer p : torrent.peers()) {
            for (int piece = 0; piece < availability.length; piece++) {
                if (p.has(piece)) {
                    availability[piece]++;
                }
            }
        }
        List<Integer> wanted = new ArrayList<>();
        for (int piece = 0; piece < availability.length; piece++) {
            int priority = torrent.priority(piece);
            log(piece, availability[piece], priority);
            if (!torrent.have(piece) && priority > 0) {
                wanted.add(piece);
            }
        }
        wanted.sort((a, b) -> PieceOrder.compare(torrent, availability, a, b));
        return wanted;
    }

    private void log(int piece, int available, int priority) {
        switch (mode) {
            case 1 -> LOG.debug("piece {}: {} peers have it, priority {}", piece, available, priority);
            case 2 -> {
                if (LOG.isDebugEnabled()) {
                    LOG.debug("piece {}: {} peers have it, priority {}", piece, available, priority);
                }
            }
            case 3 -> LOG.debug("piece " + piece + ": " + available + " peers have it, priority " + priority);
            default -> { }
        }
    }
}
