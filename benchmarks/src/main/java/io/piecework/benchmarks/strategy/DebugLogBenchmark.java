package io.piecework.benchmarks.strategy;

import io.piecework.compare.SimulatedPeer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a debug statement costs on the cached strategy's update path when debug is off
 * (slf4j-simple at its default level, info): the update with no statement, with a
 * parameterised call, and with the call behind {@code isDebugEnabled()}. Compare the times
 * and, with {@code -prof gc}, the bytes per operation: the unguarded call boxes its arguments
 * (a long beyond the small-value cache here) unless the JIT removes the boxes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DebugLogBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(DebugLogBenchmark.class);

    private Swarm swarm;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        if (LOG.isDebugEnabled()) {
            throw new IllegalStateException("debug must be off for this benchmark");
        }
        swarm = new Swarm("cached");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        swarm.close();
    }

    private SimulatedPeer update() {
        SimulatedPeer p = swarm.peers[next];
        next = (next + 1) % Swarm.PEERS;
        swarm.updateOne();
        return p;
    }

    @Benchmark
    public void statementRemoved() {
        update();
    }

    @Benchmark
    public void levelOff() {
        SimulatedPeer p = update();
        LOG.debug("peer {}: {} blocks requested in all", p.id(), swarm.torrent.blocksRequested());
    }

    @Benchmark
    public void levelOffGuarded() {
        SimulatedPeer p = update();
        if (LOG.isDebugEnabled()) {
            LOG.debug("peer {}: {} blocks requested in all", p.id(), swarm.torrent.blocksRequested());
        }
    }
}
