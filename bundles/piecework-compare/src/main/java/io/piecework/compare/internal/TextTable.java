package io.piecework.compare.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The results as an aligned text table, a column per strategy and a row per figure (a few
 * strategies side by side read better than fourteen columns across).
 */
final class TextTable {
    private TextTable() {
    }

    static void write(Scenario scenario, List<Result> results, PrintStream out) {
        out.println(describe(scenario));
        Column[] columns = Column.values();
        int label = "figure".length();
        for (Column c : columns) {
            label = Math.max(label, label(c).length());
        }
        int[] widths = new int[results.size()];
        for (int i = 0; i < results.size(); i++) {
            widths[i] = results.get(i).strategy().length();
            for (Column c : columns) {
                widths[i] = Math.max(widths[i], c.format(results.get(i)).length());
            }
        }
        StringBuilder header = new StringBuilder(pad("", label, false));
        for (int i = 0; i < results.size(); i++) {
            header.append("  ").append(pad(results.get(i).strategy(), widths[i], true));
        }
        out.println(header);
        for (Column c : columns) {
            StringBuilder row = new StringBuilder(pad(label(c), label, false));
            for (int i = 0; i < results.size(); i++) {
                row.append("  ").append(pad(c.format(results.get(i)), widths[i], true));
            }
            out.println(row);
        }
        for (Result r : results) {
            if (r.idleRequests() != 0) {
                out.println("warning: " + r.strategy() + " requested " + r.idleRequests()
                        + " blocks while there was nothing to request");
            }
        }
    }

    static String describe(Scenario s) {
        return String.format(Locale.ROOT,
                "%d torrents x %d peers, %d pieces of %d blocks, link %s MiB/s (peer rates x %.2f),"
                        + " %d threads, %s s measured (after %s s warm-up), %s s idle, seed %d",
                s.torrents(), s.peers(), s.pieces(), s.blocksPerPiece(), number(s.linkMiB()), s.rateScale(),
                s.threads(), number(s.seconds()), number(s.warmupSeconds()), number(s.idleSeconds()), s.seed());
    }

    static String label(Column c) {
        return c.unit.isEmpty() ? c.title : c.title + " (" + c.unit + ")";
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String pad(String text, int width, boolean right) {
        String spaces = " ".repeat(Math.max(0, width - text.length()));
        return right ? spaces + text : text + spaces;
    }
}
