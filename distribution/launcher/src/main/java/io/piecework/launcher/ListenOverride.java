package io.piecework.launcher;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where this run's engine listens, when the subcommand says: {@code get}/{@code seed} with
 * {@code --port N}, and {@code demo} and {@code loadtest}, which keep to loopback and a free port. Written into
 * the transport's configuration before the project's bundles start, so the transport binds
 * once, on the right port (through {@link ConfigMerge}).
 */
final class ListenOverride {
    static final String PID = "io.piecework.wire.transport";

    private ListenOverride() {
    }

    /**
     * The DHT's port for {@code get}/{@code seed --port N}: N too, one port for TCP, uTP and the
     * DHT as libtorrent has it (the DHT then shares uTP's socket; 0 shares whichever port uTP got).
     * Empty for the other subcommands, which keep the DHT's configured port.
     */
    static Optional<Map<String, Object>> dht(String[] args, Map<String, Object> listen) {
        boolean oneShot = args.length > 0 && (args[0].equals("get") || args[0].equals("seed"));
        return oneShot && listen.containsKey("listen.port") ? Optional.of(Map.of("port", listen.get("listen.port")))
                : Optional.empty();
    }

    /** The transport properties the arguments ask for; empty when they ask nothing. */
    static Optional<Map<String, Object>> of(String[] args) {
        if (args.length == 0) {
            return Optional.empty();
        }
        if (args[0].equals("demo") || args[0].equals("loadtest")) {
            return Optional.of(Map.of("listen.address", "127.0.0.1", "listen.port", 0));
        }
        if (!args[0].equals("get") && !args[0].equals("seed")) {
            return Optional.empty();
        }
        List<String> rest = List.of(args).subList(1, args.length);
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i);
            if (a.equals("--")) {
                break;
            }
            String value = a.equals("--port") && i + 1 < rest.size() ? rest.get(i + 1)
                    : a.startsWith("--port=") ? a.substring("--port=".length()) : null;
            if (value != null) {
                // A bad value is the subcommand's to report (exit 2); until it does, a free
                // port keeps this run from clashing with anything on the default one.
                int port;
                try {
                    port = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    port = -1;
                }
                return Optional.of(Map.of("listen.port", port >= 0 && port <= 65535 ? port : 0));
            }
        }
        return Optional.empty();
    }
}
