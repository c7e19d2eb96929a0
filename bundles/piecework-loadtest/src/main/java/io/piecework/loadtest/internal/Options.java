package io.piecework.loadtest.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The load test's arguments, checked. Defaults: one torrent of 256 MiB in 256 KiB pieces,
 * 50 peers, every installed strategy, 5 s idle, 300 s to download, no churn.
 *
 * @param sizeMiB      payload per torrent
 * @param idleSeconds  how long idle CPU is measured once everything is complete
 * @param timeoutSeconds bound on each strategy's download
 * @param churn        fraction of the connections the fake peers close every second (0: none)
 * @param strategies   empty: every installed one
 * @param histogram    how many classes of the heap growth to print (0: none)
 * @param inbound      the fake peers dial the engine instead of the engine dialling them
 * @param maxConnections the engine's max.connections the launcher set for this run, 0 if not raised
 * @param fork         the fake peers run in a child JVM (implies {@code inbound})
 */
record Options(int torrents, int peers, int sizeMiB, int pieceKiB, List<String> strategies, int idleSeconds,
               int timeoutSeconds, double churn, int maxConnections, boolean inbound, int histogram, Optional<String> csv,
               boolean fork) {
    static final int BLOCK = 16 * 1024;

    long payloadBytes() {
        return (long) sizeMiB << 20;
    }

    int pieceLength() {
        return pieceKiB << 10;
    }

    int pieceCount() {
        return (int) ((payloadBytes() + pieceLength() - 1) / pieceLength());
    }

    long connections() {
        return (long) torrents * peers;
    }

    static Options parse(List<String> args) {
        int torrents = 1;
        int peers = 50;
        int size = 256;
        int piece = 256;
        List<String> strategies = List.of();
        int idle = 5;
        int timeout = 300;
        double churn = 0;
        int maxConnections = 0;
        String csv = null;
        boolean inbound = false;
        boolean fork = false;
        int histogram = 0;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--inbound")) {
                inbound = true;
                continue;
            }
            if (arg.equals("--fork")) {
                // The child JVM's peers dial the engine: the engine then needs no socket of theirs.
                fork = true;
                inbound = true;
                continue;
            }
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
            String value;
            if (eq > 0 && arg.startsWith("--")) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException(arg.startsWith("--") ? name + " needs a value" : "unexpected '" + arg + "'");
            }
            switch (name) {
                case "--torrents" -> torrents = number(name, value, 1, 10_000);
                case "--peers" -> peers = number(name, value, 1, 1_000);
                case "--size" -> size = number(name, value, 1, 2_047);
                case "--piece-length" -> piece = pieceKiB(value);
                case "--strategies" -> strategies = names(value);
                case "--idle" -> idle = number(name, value, 1, 600);
                case "--timeout" -> timeout = number(name, value, 1, 3_600);
                case "--churn" -> churn = fraction(name, value);
                case "--max-connections" -> maxConnections = number(name, value, 1, 1_000_000);
                case "--histogram" -> histogram = number(name, value, 0, 1_000);
                case "--csv" -> csv = value;
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        return new Options(torrents, peers, size, piece, strategies, idle, timeout, churn, maxConnections,
                inbound, histogram, Optional.ofNullable(csv), fork);
    }

    private static int number(String name, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max + ", got '" + value + "'");
    }

    private static int pieceKiB(String value) {
        int kib = number("--piece-length", value, 16, 16 * 1024);
        if (Integer.bitCount(kib) != 1) {
            throw new IllegalArgumentException("--piece-length must be a power of two KiB (16, 32, ... 16384), got '" + value + "'");
        }
        return kib;
    }

    private static double fraction(String name, String value) {
        try {
            double d = Double.parseDouble(value);
            if (d >= 0 && d <= 1) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a fraction from 0 to 1, got '" + value + "'");
    }

    private static List<String> names(String value) {
        List<String> names = new ArrayList<>();
        for (String s : value.split(",")) {
            String n = s.trim().toLowerCase(Locale.ROOT);
            if (!n.matches("[a-z0-9._-]+")) {
                throw new IllegalArgumentException("bad strategy name '" + s + "' in --strategies");
            }
            if (!names.contains(n)) {
                names.add(n);
            }
        }
        return List.copyOf(names);
    }
}
