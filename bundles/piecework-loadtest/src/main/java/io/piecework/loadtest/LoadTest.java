package io.piecework.loadtest;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Downloads generated torrents with the engine as it runs (the {@code TorrentEngine}
 * service, its configuration and storage) from fake seeders in the same JVM, once per
 * request strategy, and prints a table of the engine's lock, CPU, heap and throughput
 * figures. A service, so a shell or CLI front end needs only this call.
 */
@ProviderType
public interface LoadTest {
    /** The usage line's arguments, after the command's name. */
    String USAGE = "[--torrents N] [--peers M] [--size MiB] [--piece-length KiB] [--strategies a,b]"
            + " [--idle S] [--timeout S] [--churn FRACTION] [--inbound] [--max-connections N] [--histogram N] [--csv FILE]";

    /**
     * Runs the load test the arguments describe: the table to {@code out}, progress to
     * {@code err}; a relative {@code --csv} path resolves against {@code cwd}.
     *
     * @throws IllegalArgumentException bad usage (an unknown option, a bad value, a strategy
     *                                  not installed, more connections than the engine allows);
     *                                  nothing was run; the message says what
     * @throws IllegalStateException    a run failed (a download did not finish in time, the
     *                                  strategy could not be switched); the message says what
     * @throws IOException              the temporary folder or the CSV file could not be written
     */
    void run(List<String> args, PrintStream out, PrintStream err, Path cwd) throws IOException, InterruptedException;
}
