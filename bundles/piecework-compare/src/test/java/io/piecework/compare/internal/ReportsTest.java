package io.piecework.compare.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ReportsTest {
    private static final Scenario SCENARIO = new Scenario(100, 10, 1024, 16, 10, 2, 3, 2, 1, 400);
    private static final List<Result> RESULTS = List.of(
            new Result("cached", 180_000, 18_000, 9_540, 2.4, 36_441, 40, 190, 420, 2_300, 0.161, 8_881,
                    17_822, 0.22, 58_163, 38_000, 0),
            new Result("na<ve", 109_000, 10_900, 170_290, -1, 22_027, 30, 320, 960, 212_990, 3.317, 9_827,
                    10_835, 0.47, 19_456, 0, 5));

    @Test
    void theTableHasAColumnPerStrategyAndARowPerFigure() {
        String text = render(out -> TextTable.write(SCENARIO, RESULTS, out));
        List<String> lines = text.lines().toList();
        assertEquals("100 torrents x 10 peers, 1024 pieces of 16 blocks, link 400 MiB/s (peer rates x 1.00),"
                + " 2 threads, 10 s measured (after 2 s warm-up), 3 s idle, seed 1", lines.get(0));
        assertTrue(lines.get(1).matches(" +cached +na<ve"), lines.get(1));
        assertTrue(lines.contains("CPU/update (us)                9.54  170.29"), text);
        assertTrue(lines.contains("alloc/update (B)                  2     n/a"), text);
        assertTrue(lines.contains("heap/torrent (KiB)             56.8    19.0"), text);
        assertTrue(lines.contains("strategy heap/torrent (KiB)    37.1     0.0"), text);
        assertEquals(2 + Column.values().length + 1, lines.size());
        assertEquals("warning: na<ve requested 5 blocks while there was nothing to request", lines.get(lines.size() - 1));
    }

    @Test
    void csvHasAHeaderWithUnitsAndEmptyUnknowns() {
        String csv = render(out -> CsvReport.write(RESULTS, out));
        List<String> lines = csv.lines().toList();
        assertEquals(3, lines.size());
        assertTrue(csv.endsWith("\r\n"));
        assertTrue(lines.get(0).startsWith("strategy,cpu_per_update_us,alloc_per_update_B,updates_per_s,"), lines.get(0));
        assertTrue(lines.get(0).contains(",lock_wait_percent_of_wall_pct,"), lines.get(0));
        assertTrue(lines.get(0).contains(",idle_cpu_percent_pct_core,"), lines.get(0));
        assertTrue(lines.get(1).startsWith("cached,9.54,2,18000,36441,0.04,0.19,"), lines.get(1));
        assertTrue(lines.get(2).startsWith("na<ve,170.29,,10900,"), lines.get(2));
        assertEquals(Column.values().length + 1, lines.get(1).split(",", -1).length);
        assertEquals("\"a,\"\"b\"", CsvReport.quote("a,\"b"));
    }

    @Test
    void htmlIsOnePageWithATableAndABarPerStrategyPerFigure() {
        String html = render(out -> HtmlReport.write(SCENARIO, RESULTS, out));
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.strip().endsWith("</html>"));
        assertFalse(html.contains("<script"), "no scripts");
        assertFalse(html.contains("src=") || html.contains("href="), "nothing loaded from elsewhere");
        assertEquals(Column.values().length, count(html, "<svg "));
        assertEquals(Column.values().length * RESULTS.size(), count(html, "<rect "));
        assertTrue(html.contains("<th>na&lt;ve</th>"), "names are escaped");
        assertFalse(html.contains("na<ve"));
        // The longest bar is the larger value's: naive's CPU per update.
        assertTrue(html.contains("width=\"420\" height=\"16\" fill=\"#f28e2b\"/>\n<text x=\"514\" y=\"39\" font-size=\"12\">170.29</text>"), html);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static String render(Consumer<PrintStream> writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        writer.accept(out);
        return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
