package io.piecework.webconsole.internal;

import java.util.Locale;

/** Text for an HTML page: escaped, with the characters that reorder or hide text made visible. */
final class Html {
    private Html() {
    }

    /**
     * A name as element text: {@code & < > " '} as entities, control characters and the
     * bidirectional controls (U+202A..E, U+2066..9, which could make {@code gnp.exe} read
     * {@code exe.png}) as {@code [U+XXXX]}, as the web UI shows them.
     */
    static String text(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        s.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (Character.isISOControl(c) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)
                            || c == 0x200E || c == 0x200F) {
                        b.append(String.format(Locale.ROOT, "[U+%04X]", c));
                    } else {
                        b.appendCodePoint(c);
                    }
                }
            }
        });
        return b.toString();
    }

    /** A byte count in binary units, one decimal. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
