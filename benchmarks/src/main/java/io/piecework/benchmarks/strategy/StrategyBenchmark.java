package io.piecework.benchmarks.strategy;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Request strategies on the same swarm (16k pieces, 50 peers). {@code update}: one peer's
 * pipeline ran dry and is refilled. {@code round}: all 50 peers want more at about the same
 * time, the last with a dry pipeline; the counters {@code locks} and {@code updates} give the
 * torrent-lock acquisitions per update. Run with {@code -prof gc} for bytes per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StrategyBenchmark {
    @Param({"naive", "cached", "batched"})
    public String strategy;

    private Swarm swarm;

    /** Totals per iteration, reported next to the time. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Counters {
        public long locks;
        public long updates;

        @Setup(Level.Iteration)
        public void clear() {
            locks = 0;
            updates = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        swarm = new Swarm(strategy);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        long expected = (long) Swarm.PEERS * Swarm.TARGET;
        if (swarm.inFlight() != expected) {
            throw new IllegalStateException("not steady: " + swarm.inFlight() + " blocks in flight, expected " + expected);
        }
        swarm.close();
    }

    @Benchmark
    public void update(Counters counters) {
        counters.locks += swarm.updateOne();
        counters.updates++;
    }

    @Benchmark
    public void round(Counters counters) {
        counters.locks += swarm.round();
        counters.updates += Swarm.PEERS;
    }
}
