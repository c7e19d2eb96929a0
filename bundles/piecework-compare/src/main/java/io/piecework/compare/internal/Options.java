package io.piecework.compare.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The command line of {@code compare}, parsed; bad usage throws IllegalArgumentException. */
record Options(Scenario scenario, List<String> strategies, String csv, String html) {
    static final int DEFAULT_TORRENTS = 100;
    static final int DEFAULT_PEERS = 10;
    static final int DEFAULT_PIECES = 1024;
    static final double DEFAULT_SECONDS = 10;

    static Options parse(List<String> args) {
        int torrents = DEFAULT_TORRENTS;
        int peers = DEFAULT_PEERS;
        int pieces = DEFAULT_PIECES;
        double seconds = DEFAULT_SECONDS;
        int threads = Runtime.getRuntime().availableProcessors();
        long seed = 1;
        double link = Scenario.DEFAULT_LINK_MIB;
        List<String> strategies = new ArrayList<>();
        String csv = null;
        String html = null;
        for (Iterator<String> it = args.iterator(); it.hasNext();) {
            String option = it.next();
            switch (option) {
                case "--torrents" -> torrents = positive(option, value(option, it));
                case "--peers" -> peers = positive(option, value(option, it));
                case "--pieces" -> pieces = positive(option, value(option, it));
                case "--threads" -> threads = positive(option, value(option, it));
                case "--seconds" -> seconds = seconds(value(option, it));
                case "--link" -> link = positive(option, value(option, it));
                case "--seed" -> seed = number(option, value(option, it));
                case "--strategies" -> {
                    for (String name : value(option, it).split(",")) {
                        if (!name.isBlank()) {
                            strategies.add(name.strip());
                        }
                    }
                }
                case "--csv" -> csv = value(option, it);
                case "--html" -> html = value(option, it);
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        return new Options(Scenario.of(torrents, peers, pieces, seconds, threads, seed, link),
                List.copyOf(strategies), csv, html);
    }

    private static String value(String option, Iterator<String> it) {
        if (!it.hasNext()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return it.next();
    }

    private static int positive(String option, String text) {
        long v = number(option, text);
        if (v < 1 || v > 1_000_000) {
            throw new IllegalArgumentException(option + " must be between 1 and 1000000: " + text);
        }
        return (int) v;
    }

    private static long number(String option, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " wants a whole number: '" + text + "'");
        }
    }

    private static double seconds(String text) {
        try {
            double v = Double.parseDouble(text);
            if (v > 0 && v <= 3600) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--seconds must be a number of seconds above 0 and at most 3600: '" + text + "'");
    }
}
