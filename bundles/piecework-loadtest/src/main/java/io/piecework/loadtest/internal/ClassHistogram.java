package io.piecework.loadtest.internal;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;

/**
 * Where the heap per torrent goes: the JVM's class histogram of live objects ({@code jcmd
 * GC.class_histogram}, through the DiagnosticCommand MBean; it collects first) before and
 * after a run, and the classes that grew most. Optional: a JVM without the MBean gives none.
 */
final class ClassHistogram {
    /** Bytes and instances per class name. */
    private final Map<String, long[]> classes;

    private ClassHistogram(Map<String, long[]> classes) {
        this.classes = classes;
    }

    static ClassHistogram take() {
        Map<String, long[]> classes = new HashMap<>();
        try {
            Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            for (String line : String.valueOf(text).split("\n")) {
                // "   1:        12345        678901  java.lang.String (java.base@17)"
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && f[0].endsWith(":")) {
                    classes.put(f[3], new long[] {Long.parseLong(f[2]), Long.parseLong(f[1])});
                }
            }
        } catch (Exception | LinkageError e) {
            // No diagnostic MBean here: the histogram stays empty.
        }
        return new ClassHistogram(classes);
    }

    /** The {@code top} classes whose live bytes grew most from {@code before}, one line each, per torrent. */
    List<String> growth(ClassHistogram before, int top, int torrents) {
        List<Map.Entry<String, long[]>> grown = new ArrayList<>();
        for (Map.Entry<String, long[]> e : classes.entrySet()) {
            long[] b = before.classes.getOrDefault(e.getKey(), new long[2]);
            grown.add(Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]}));
        }
        grown.sort((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]));
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, long[]> e : grown.subList(0, Math.min(top, grown.size()))) {
            lines.add(String.format(java.util.Locale.ROOT, "%10.1f KiB/torrent %9.1f objects/torrent  %s",
                    e.getValue()[0] / 1024.0 / torrents, e.getValue()[1] / (double) torrents, e.getKey()));
        }
        return lines;
    }
}
