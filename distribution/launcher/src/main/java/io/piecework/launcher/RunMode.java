package io.piecework.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a run of the launcher is: the interactive shell (no arguments, or {@code shell}), the
 * daemon ({@code daemon}: the engine and the persistent session in the foreground until
 * SIGTERM or SIGINT, no console), or one subcommand. The shell and the daemon take
 * {@code --config DIR}: the folder of Config Admin files FileInstall reads instead of load/.
 */
record RunMode(Kind kind, Optional<Path> configDir) {
    enum Kind { SHELL, DAEMON, SUBCOMMAND }

    /** Thrown for bad arguments of shell or daemon; the launcher prints it and exits with 2. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static RunMode of(String[] args) throws UsageException {
        if (args.length == 0) {
            return new RunMode(Kind.SHELL, Optional.empty());
        }
        Kind kind = switch (args[0]) {
            case "shell" -> Kind.SHELL;
            case "daemon" -> Kind.DAEMON;
            default -> Kind.SUBCOMMAND;
        };
        if (kind == Kind.SUBCOMMAND) {
            return new RunMode(kind, Optional.empty());
        }
        Optional<Path> config = Optional.empty();
        for (int i = 1; i < args.length; i++) {
            String value;
            if (args[i].equals("--config") && i + 1 < args.length) {
                value = args[++i];
            } else if (args[i].startsWith("--config=")) {
                value = args[i].substring("--config=".length());
            } else {
                throw new UsageException("usage: piecework " + args[0] + " [--config DIR]; unexpected '" + args[i] + "'");
            }
            Path dir = Path.of(value).toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                throw new UsageException("--config " + value + ": not a folder");
            }
            config = Optional.of(dir);
        }
        return new RunMode(kind, config);
    }

    boolean subcommand() {
        return kind == Kind.SUBCOMMAND;
    }

    boolean daemon() {
        return kind == Kind.DAEMON;
    }

    /** Only the interactive shell gets shell/ (the console). */
    boolean console() {
        return kind == Kind.SHELL;
    }
}
