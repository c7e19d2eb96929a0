package io.piecework.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The DHT nodes this run joins through, when {@code get} or {@code seed} names them with
 * {@code --dht-bootstrap HOST:PORT} (repeatable): they replace the DHT's configured
 * {@code bootstrap.nodes} for the run, written before the DHT starts so it joins through
 * them the first time.
 */
final class DhtBootstrapOverride {
    static final String PID = "io.piecework.dht";
    static final String OPTION = "--dht-bootstrap";

    private DhtBootstrapOverride() {
    }

    /** The DHT properties the arguments ask for; empty when they name no bootstrap node. */
    static Optional<Map<String, Object>> of(String[] args) {
        if (args.length == 0 || !(args[0].equals("get") || args[0].equals("seed"))) {
            return Optional.empty();
        }
        boolean given = false;
        List<String> nodes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                break;
            }
            String value = a.equals(OPTION) && i + 1 < args.length ? args[++i]
                    : a.startsWith(OPTION + "=") ? a.substring(OPTION.length() + 1) : null;
            if (value != null) {
                given = true;
                // A bad value is the subcommand's to report (exit 2); the DHT just never sees it.
                if (wellFormed(value)) {
                    nodes.add(value);
                }
            }
        }
        return given ? Optional.of(Map.of("bootstrap.nodes", nodes.toArray(new String[0]))) : Optional.empty();
    }

    /** HOST:PORT with a port from 1 to 65535 (the shell checks the rest, and resolves the host). */
    static boolean wellFormed(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            return false;
        }
        try {
            int port = Integer.parseInt(value.substring(colon + 1));
            return port > 0 && port <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
