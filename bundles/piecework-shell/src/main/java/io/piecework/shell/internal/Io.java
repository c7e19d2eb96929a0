package io.piecework.shell.internal;

import java.io.PrintStream;

/**
 * Where a subcommand writes: results to {@code out}, progress and errors to {@code err}.
 *
 * @param terminal true when a person watches (a console is attached), so progress may redraw
 *                 one line with {@code \r}; false for pipes and logs
 */
public record Io(PrintStream out, PrintStream err, boolean terminal) {
    /** The streams of the calling thread: the process's, or a Gogo session's. */
    public static Io system() {
        return new Io(System.out, System.err, System.console() != null);
    }
}
