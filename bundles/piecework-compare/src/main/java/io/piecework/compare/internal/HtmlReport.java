package io.piecework.compare.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The results as one self-contained HTML page: the table, then a horizontal bar chart per
 * figure drawn in inline SVG (no scripts, styles or fonts from elsewhere).
 */
final class HtmlReport {
    private static final int BAR_WIDTH = 420;
    private static final int ROW_HEIGHT = 22;
    private static final int LABEL_WIDTH = 90;
    private static final String[] COLOURS = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1"};

    private HtmlReport() {
    }

    static void write(Scenario scenario, List<Result> results, PrintStream out) {
        out.println("<!DOCTYPE html>");
        out.println("<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Piecework strategy comparison</title>");
        out.println("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th:first-child,td:first-child{text-align:left}"
                + "figure{display:inline-block;margin:1em 2em 1em 0}figcaption{font-weight:bold}</style></head><body>");
        out.println("<h1>Piecework strategy comparison</h1>");
        out.println("<p>" + escape(TextTable.describe(scenario)) + "</p>");
        out.println("<table><tr><th>figure</th>");
        for (Result r : results) {
            out.println("<th>" + escape(r.strategy()) + "</th>");
        }
        out.println("</tr>");
        for (Column c : Column.values()) {
            out.print("<tr><td>" + escape(TextTable.label(c)) + "</td>");
            for (Result r : results) {
                out.print("<td>" + escape(c.format(r)) + "</td>");
            }
            out.println("</tr>");
        }
        out.println("</table>");
        for (Column c : Column.values()) {
            chart(c, results, out);
        }
        out.println("</body></html>");
    }

    private static void chart(Column c, List<Result> results, PrintStream out) {
        double max = 0;
        for (Result r : results) {
            max = Math.max(max, c.value(r));
        }
        int height = ROW_HEIGHT * results.size() + 4;
        int width = LABEL_WIDTH + BAR_WIDTH + 90;
        out.println("<figure><figcaption>" + escape(TextTable.label(c)) + "</figcaption>");
        out.printf(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">%n",
                width, height);
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            double v = Math.max(0, c.value(r));
            int bar = max > 0 ? (int) Math.round(BAR_WIDTH * v / max) : 0;
            int y = 2 + i * ROW_HEIGHT;
            out.printf(Locale.ROOT, "<text x=\"0\" y=\"%d\" font-size=\"13\">%s</text>%n", y + 15, escape(r.strategy()));
            out.printf(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n",
                    LABEL_WIDTH, y + 2, bar, ROW_HEIGHT - 6, COLOURS[i % COLOURS.length]);
            out.printf(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>%n",
                    LABEL_WIDTH + bar + 4, y + 15, escape(c.format(r)));
        }
        out.println("</svg></figure>");
    }

    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
