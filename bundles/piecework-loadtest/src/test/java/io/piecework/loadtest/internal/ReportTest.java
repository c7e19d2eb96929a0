package io.piecework.loadtest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    private static Result result(String strategy) {
        // 1 GiB in 2 s: 65,536 blocks, 131,072 lock acquisitions, 20 ms of waiting, 32,768 handoffs.
        return new Result(strategy, 4, 2_000_000_000L, 1L << 30, 65_536, 131_072, 20_000_000, 0, 0, 1_000, 500, 2_000,
                4_000_000_000L, 3L << 20, 1_000_000_000L, 5_000_000_000L, 50_000_000, 200, 4L << 20, 1L << 20, 0, 0, 3, 40, 100, 90,
                32_768);
    }

    @Test
    void figuresAreDerivedFromTheEnginesCounters() {
        Result r = result("cached");
        assertEquals(1.0, r.waitPercentOfWall(), 1e-9);
        assertEquals(2.0, r.acquisitionsPerBlock(), 1e-9);
        assertEquals(0.5, r.handoffsPerBlock(), 1e-9);
        assertEquals(4.0, r.engineCpuSecondsPerGiB(), 1e-9);
        assertEquals(3.0, r.engineAllocMiBPerGiB(), 1e-9);
        assertEquals(512.0, r.throughputMiBps(), 1e-9);
        assertEquals(1.0, r.idleCpuPercentOfCore(), 1e-9);
        assertEquals(1024.0, r.heapKiBPerTorrent(), 1e-9);
        assertEquals(768.0, r.engineHeapKiBPerTorrent(), 1e-9);
    }

    @Test
    void tableHasAColumnPerStrategyAndCsvARowPerStrategy(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<Result> results = List.of(result("cached"), result("naive"));
        Report.table("description", results, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2 + Report.ROWS.size(), lines.size());
        assertEquals("description", lines.get(0));
        assertTrue(lines.get(1).matches(" +cached +naive"), lines.get(1));
        assertTrue(lines.stream().anyMatch(l -> l.matches("lock wait/wall \\(%\\) +1\\.000 +1\\.000")),
                String.join("\n", lines));

        Report.csv("description", results, dir.resolve("r.csv"));
        List<String> csv = Files.readAllLines(dir.resolve("r.csv"));
        assertEquals("# description", csv.get(0));
        assertTrue(csv.get(1).startsWith("strategy,download (s),throughput (MiB/s)"), csv.get(1));
        assertTrue(csv.get(2).startsWith("cached,2.00,512.0,1.000,"), csv.get(2));
        assertEquals(4, csv.size());
    }
}
