package io.piecework.shell.internal;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Where a subcommand writes: results to {@code out}, progress and errors to {@code err}.
 *
 * @param terminal true when a person watches (a console is attached), so progress may redraw
 *                 one line with {@code \r}; false for pipes and logs
 * @param cwd      the folder relative paths are taken from: the process's, or a Gogo
 *                 session's after {@code cd}
 */
public record Io(PrintStream out, PrintStream err, boolean terminal, Path cwd) {
    /** The streams of the calling thread (the process's, or a Gogo session's) and the process's folder. */
    public static Io system() {
        return system(Path.of("").toAbsolutePath());
    }

    public static Io system(Path cwd) {
        return new Io(System.out, System.err, System.console() != null, cwd);
    }

    /** A path the user typed, resolved against {@link #cwd()}. */
    public Path path(String text) {
        return cwd.resolve(text);
    }
}
