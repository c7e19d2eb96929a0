package io.piecework.loadtest.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** The results as an aligned table (a column per strategy, as {@code compare} prints) or CSV. */
final class Report {
    /** One row: its label and how to format a result. */
    record Row(String label, Function<Result, String> format) {
    }

    static final List<Row> ROWS = List.of(
            new Row("download (s)", r -> fixed(r.downloadNanos() / 1e9, 2)),
            new Row("throughput (MiB/s)", r -> fixed(r.throughputMiBps(), 1)),
            new Row("lock wait/wall (%)", r -> fixed(r.waitPercentOfWall(), 3)),
            new Row("wait p50 (us)", r -> fixed(r.waitP50() / 1e3, 2)),
            new Row("wait p99 (us)", r -> fixed(r.waitP99() / 1e3, 2)),
            new Row("hold p50 (us)", r -> fixed(r.holdP50() / 1e3, 2)),
            new Row("hold p99 (us)", r -> fixed(r.holdP99() / 1e3, 2)),
            new Row("lock acq/block", r -> fixed(r.acquisitionsPerBlock(), 2)),
            new Row("handed to holder/block", r -> fixed(r.handoffsPerBlock(), 2)),
            new Row("engine CPU (s/GiB)", r -> fixed(r.engineCpuSecondsPerGiB(), 2)),
            new Row("engine alloc (MiB/GiB)", r -> r.engineAllocBytes() < 0 ? "n/a" : fixed(r.engineAllocMiBPerGiB(), 1)),
            new Row("fake peers CPU (s/GiB)", r -> fixed(r.peersCpuSecondsPerGiB(), 2)),
            new Row("idle CPU (% core)", r -> fixed(r.idleCpuPercentOfCore(), 2)),
            new Row("idle connections", r -> Integer.toString(r.idlePeers())),
            new Row("heap/torrent (KiB)", r -> fixed(r.engineHeapKiBPerTorrent(), 1)),
            new Row("with fake ends (KiB)", r -> fixed(r.heapKiBPerTorrent(), 1)),
            new Row("churned connections", r -> Long.toString(r.churned())),
            new Row("hash failures", r -> Integer.toString(r.hashFailures())),
            new Row("GCs while downloading", r -> Long.toString(r.gcCount())),
            new Row("GC time (ms)", r -> Long.toString(r.gcMillis())),
            new Row("bitmaps taken", r -> r.poolTaken() < 0 ? "n/a" : Long.toString(r.poolTaken())),
            new Row("bitmap pool hits", r -> r.poolHits() < 0 ? "n/a" : Long.toString(r.poolHits())));

    private Report() {
    }

    static void table(String description, List<Result> results, PrintStream out) {
        out.println(description);
        int label = ROWS.stream().mapToInt(r -> r.label().length()).max().orElse(0);
        int[] widths = new int[results.size()];
        for (int i = 0; i < results.size(); i++) {
            widths[i] = results.get(i).strategy().length();
            for (Row row : ROWS) {
                widths[i] = Math.max(widths[i], row.format().apply(results.get(i)).length());
            }
        }
        StringBuilder header = new StringBuilder(" ".repeat(label));
        for (int i = 0; i < results.size(); i++) {
            header.append("  ").append(left(results.get(i).strategy(), widths[i]));
        }
        out.println(header);
        for (Row row : ROWS) {
            StringBuilder line = new StringBuilder(row.label()).append(" ".repeat(label - row.label().length()));
            for (int i = 0; i < results.size(); i++) {
                line.append("  ").append(left(row.format().apply(results.get(i)), widths[i]));
            }
            out.println(line);
        }
    }

    /** A header line, then one line per strategy; the description as a # comment first. */
    static void csv(String description, List<Result> results, Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# " + description);
        StringBuilder header = new StringBuilder("strategy");
        for (Row row : ROWS) {
            header.append(',').append(row.label());
        }
        lines.add(header.toString());
        for (Result r : results) {
            StringBuilder line = new StringBuilder(r.strategy());
            for (Row row : ROWS) {
                line.append(',').append(row.format().apply(r));
            }
            lines.add(line.toString());
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    private static String left(String s, int width) {
        return " ".repeat(Math.max(0, width - s.length())) + s;
    }

    static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
