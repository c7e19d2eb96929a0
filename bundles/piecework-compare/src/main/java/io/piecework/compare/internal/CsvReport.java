package io.piecework.compare.internal;

import java.io.PrintStream;
import java.util.List;

/** The results as CSV: a header of column ids with units, a row per strategy. */
final class CsvReport {
    private CsvReport() {
    }

    static void write(List<Result> results, PrintStream out) {
        StringBuilder header = new StringBuilder("strategy");
        for (Column c : Column.values()) {
            header.append(',').append(c.csvHeader());
        }
        out.print(header.append("\r\n"));
        for (Result r : results) {
            StringBuilder row = new StringBuilder(quote(r.strategy()));
            for (Column c : Column.values()) {
                row.append(',').append(c.format(r).equals("n/a") ? "" : c.format(r));
            }
            out.print(row.append("\r\n"));
        }
    }

    /** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
    static String quote(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
