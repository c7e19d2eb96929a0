package io.piecework.compare.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.strategy.RequestStrategy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonComponentTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    @TempDir
    Path dir;

    @Test
    void aShortRunPrintsTheTableAndWritesCsvAndHtml() throws Exception {
        ComparisonComponent c = new ComparisonComponent(Map.of("lowest", new LowestFirstStrategy()));
        int status = run(c, "--torrents", "4", "--peers", "3", "--pieces", "64", "--seconds", "1",
                "--csv", "r.csv", "--html", "r.html");
        assertEquals(0, status, text(err));
        List<String> lines = text(out).lines().toList();
        assertTrue(lines.get(0).startsWith("4 torrents x 3 peers, 64 pieces of 16 blocks"), lines.get(0));
        assertTrue(lines.get(1).strip().equals("lowest"), lines.get(1));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("throughput (blocks/s)")));
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("warning")), text(out));
        assertTrue(Files.readString(dir.resolve("r.csv")).startsWith("strategy,"));
        assertTrue(Files.readString(dir.resolve("r.html")).contains("<svg "));
    }

    @Test
    void badUsageIsStatusTwoWithTheUsageLine() {
        ComparisonComponent c = new ComparisonComponent(Map.of("lowest", new LowestFirstStrategy()));
        assertEquals(2, run(c, "--torrents", "0"));
        assertTrue(text(err).contains("--torrents must be between 1 and 1000000"), text(err));
        assertTrue(text(err).contains("usage: piecework compare [--torrents N]"), text(err));
        assertEquals(2, run(c, "--bogus"));
        assertEquals(2, run(c, "--seconds"));
        assertEquals(2, run(c, "--strategies", "lowest,other"));
        assertTrue(text(err).contains("not installed: other (installed: lowest)"), text(err));
        assertEquals("", text(out));
    }

    @Test
    void withNoStrategyInstalledItFails() {
        assertEquals(1, run(new ComparisonComponent(), "--seconds", "1"));
        assertTrue(text(err).contains("no request strategy is installed"));
    }

    @Test
    void strategiesComeAndGoByTheirName() {
        ComparisonComponent c = new ComparisonComponent();
        RequestStrategy s = new LowestFirstStrategy();
        c.addStrategy(s, Map.of(RequestStrategy.NAME_PROPERTY, "b"));
        c.addStrategy(new LowestFirstStrategy(), Map.of(RequestStrategy.NAME_PROPERTY, "a"));
        assertEquals(List.of("a", "b"), c.strategies());
        c.removeStrategy(s, Map.of(RequestStrategy.NAME_PROPERTY, "b"));
        assertEquals(List.of("a"), c.strategies());
    }

    private int run(ComparisonComponent c, String... args) {
        return ComparisonComponent.main(c, List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), dir);
    }

    private static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
