package io.piecework.launcher;

import java.util.Map;
import java.util.Optional;

/**
 * {@code loadtest --max-connections N}: the engine's {@code max.connections} for this run.
 * The engine reads its limits once, when it activates, so the value must be in Config Admin
 * before the project's bundles start (through {@link ConfigMerge}); 1000 torrents x 20
 * peers need 20,000 connections where the default allows 500. Nothing else changes.
 */
final class MaxConnectionsOverride {
    static final String PID = "io.piecework.engine";
    static final String OPTION = "--max-connections";

    private MaxConnectionsOverride() {
    }

    /** The engine properties the arguments ask for; empty when they ask nothing. */
    static Optional<Map<String, Object>> of(String[] args) {
        if (args.length == 0 || !args[0].equals("loadtest")) {
            return Optional.empty();
        }
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String value = a.equals(OPTION) && i + 1 < args.length ? args[i + 1]
                    : a.startsWith(OPTION + "=") ? a.substring(OPTION.length() + 1) : null;
            if (value != null) {
                // A bad value is the subcommand's to report (exit 2); the engine keeps its own.
                try {
                    int n = Integer.parseInt(value);
                    return n > 0 ? Optional.of(Map.of("max.connections", n)) : Optional.empty();
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
