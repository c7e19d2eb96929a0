package io.piecework.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs one simulated swarm against each installed request strategy in turn and prints a
 * table of their costs. A service, so a shell or CLI front end needs only this call.
 */
@ProviderType
public interface Comparison {
    /** The usage line's arguments, after the command's name. */
    String USAGE = "[--torrents N] [--peers M] [--pieces P] [--seconds S] [--threads T]"
            + " [--link MiB/s] [--strategies a,b] [--seed X] [--csv FILE] [--html FILE]";

    /** The names of the strategies installed now, sorted. */
    List<String> strategies();

    /**
     * Runs the comparison the arguments describe: the table to {@code out}, progress to
     * {@code err}; relative {@code --csv}/{@code --html} paths resolve against {@code cwd}.
     *
     * @throws IllegalArgumentException bad usage (an unknown option, a bad value, a strategy
     *                                  not installed); nothing was run; the message says what
     * @throws IllegalStateException    no strategy is installed
     * @throws IOException              a report file could not be written
     */
    void run(List<String> args, PrintStream out, PrintStream err, Path cwd) throws IOException, InterruptedException;
}
