package io.piecework.benchmarks.metainfo;

import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link HashingBenchmark} and prints hashing MB/s per thread against the plain loop,
 * measured in the same run. Usage:
 * {@code java -cp benchmarks/target/benchmarks.jar io.piecework.benchmarks.metainfo.HashingComparison}
 */
public final class HashingComparison {
    private HashingComparison() {
    }

    public static void main(String[] args) throws RunnerException {
        Options options = new OptionsBuilder().include(HashingBenchmark.class.getName()).build();
        Collection<RunResult> results = new Runner(options).run();
        double plain = 0;
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().endsWith("plainMessageDigest")) {
                plain = Math.max(plain, mbPerSecond(r));
            }
        }
        System.out.printf("%nplain MessageDigest loop: %.0f MB/s (one thread)%n", plain);
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().endsWith("torrentCreator")) {
                int threads = Integer.parseInt(r.getParams().getParam("threads"));
                double perThread = mbPerSecond(r) / threads;
                System.out.printf("torrent creation, %d thread(s): %.0f MB/s, %.0f MB/s per thread = %.0f%% of plain%n",
                        threads, mbPerSecond(r), perThread, 100 * perThread / plain);
            }
        }
    }

    private static double mbPerSecond(RunResult r) {
        return r.getPrimaryResult().getScore() * HashingBenchmark.SIZE / 1e6;
    }
}
