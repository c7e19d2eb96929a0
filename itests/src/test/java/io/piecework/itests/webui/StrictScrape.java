package io.piecework.itests.webui;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text format 0.0.4: every line is a HELP, a TYPE or a
 * sample; a sample's name, labels (escapes \\, \" and \n only), value and family (declared by
 * an earlier TYPE) must be well formed, else it throws naming the line.
 */
final class StrictScrape {
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|summary|histogram|untyped|info|unknown)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)\\})? (\\S+)( -?[0-9]+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");
    private static final Pattern VALUE = Pattern.compile("[-+]?(?:[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?|Inf|NaN)");

    private StrictScrape() {
    }

    static List<Sample> parse(String text) {
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("a scrape ends with a line feed");
        }
        Map<String, String> types = new HashMap<>();
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            Matcher m;
            if (line.startsWith("#")) {
                if ((m = TYPE.matcher(line)).matches()) {
                    types.put(m.group(1), m.group(2));
                } else if (!HELP.matcher(line).matches()) {
                    throw new IllegalArgumentException("bad comment line: " + line);
                }
                continue;
            }
            if (!(m = SAMPLE.matcher(line)).matches() || !VALUE.matcher(m.group(4)).matches()) {
                throw new IllegalArgumentException("bad sample line: " + line);
            }
            String name = m.group(1);
            if (family(name, types) == null) {
                throw new IllegalArgumentException("sample without a TYPE: " + line);
            }
            samples.add(new Sample(name, labels(m.group(3) == null ? "" : m.group(3), line),
                    Double.parseDouble(m.group(4).replace("Inf", "Infinity"))));
        }
        return samples;
    }

    private static String family(String name, Map<String, String> types) {
        for (String suffix : new String[] {"", "_total", "_sum", "_count", "_bucket", "_created", "_info"}) {
            if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
                return types.get(name.substring(0, name.length() - suffix.length()));
            }
        }
        return null;
    }

    private static Map<String, String> labels(String text, String line) {
        Map<String, String> labels = new LinkedHashMap<>();
        Matcher m = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("bad labels at " + at + ": " + line);
            }
            String value = m.group(2).replace("\\\\", "\u0000").replace("\\\"", "\"").replace("\\n", "\n").replace("\u0000", "\\");
            if (labels.put(m.group(1), value) != null) {
                throw new IllegalArgumentException("label given twice: " + line);
            }
            at = m.end();
        }
        return labels;
    }
}
