package io.piecework.benchmarks.compare;

import io.piecework.api.strategy.RequestStrategy;
import io.piecework.compare.internal.ComparisonComponent;
import io.piecework.strategy.batched.BatchedStrategy;
import io.piecework.strategy.cached.CachedStrategy;
import io.piecework.strategy.naive.NaiveStrategy;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code piecework compare} outside OSGi, with the three strategies of this repository:
 * {@code java -cp benchmarks/target/benchmarks.jar io.piecework.benchmarks.compare.CompareMain
 * --torrents 100 --peers 10}. Same code and figures as the shell command.
 */
public final class CompareMain {
    private CompareMain() {
    }

    public static void main(String[] args) {
        BatchedStrategy batched = new BatchedStrategy(10);
        Map<String, RequestStrategy> strategies = Map.of(
                "naive", new NaiveStrategy(), "cached", new CachedStrategy(), "batched", batched);
        int status = ComparisonComponent.main(new ComparisonComponent(strategies), Arrays.asList(args),
                System.out, System.err, Path.of("").toAbsolutePath());
        batched.deactivate();
        System.exit(status);
    }
}
