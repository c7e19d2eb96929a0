package io.piecework.strategy.batched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.strategy.RequestStrategy;
import io.piecework.compare.internal.ComparisonComponent;
import io.piecework.strategy.cached.CachedStrategy;
import io.piecework.strategy.naive.NaiveStrategy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The comparison with the three shipped strategies (here because this bundle's tests see all three). */
class ComparisonTest {
    @Test
    void aShortComparisonGivesAColumnForEachStrategyAndNoIdleRequests() {
        BatchedStrategy batched = new BatchedStrategy(10);
        try {
            Map<String, RequestStrategy> strategies = Map.of(
                    "naive", new NaiveStrategy(), "cached", new CachedStrategy(), "batched", batched);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = ComparisonComponent.main(new ComparisonComponent(strategies),
                    List.of("--torrents", "10", "--peers", "5", "--pieces", "256", "--seconds", "2"),
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), Path.of("."));
            String table = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
            List<String> lines = table.lines().toList();
            assertTrue(lines.get(1).matches(" +batched +cached +naive"), table);
            String throughput = lines.stream().filter(l -> l.startsWith("throughput")).findFirst().orElseThrow();
            assertTrue(throughput.matches("throughput \\(blocks/s\\)( +[1-9][0-9]*){3}"), "every strategy downloaded: " + throughput);
            assertTrue(lines.stream().noneMatch(l -> l.startsWith("warning")), table);
        } finally {
            batched.deactivate();
        }
    }
}
