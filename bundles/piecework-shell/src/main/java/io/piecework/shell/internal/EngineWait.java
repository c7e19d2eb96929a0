package io.piecework.shell.internal;

import io.piecework.api.engine.TorrentEngine;
import java.util.concurrent.TimeUnit;

/**
 * The engine for {@code get} and {@code seed}, which bind it optionally: they stay offered
 * without it, so bad input is reported as such (status 2) even when the engine cannot start
 * (its listen port taken), and only a valid command fails for want of the engine.
 */
final class EngineWait {
    static final long TIMEOUT_MS = 10_000;
    /** Filter of the launcher's service that starts the network bundles on demand. */
    static final String NETWORK_START = "(piecework.network.start=true)";
    private TorrentEngine engine;
    private volatile Runnable networkStart;

    synchronized void set(TorrentEngine e) {
        engine = e;
        notifyAll();
    }

    synchronized void clear(TorrentEngine e) {
        if (engine == e) {
            engine = null;
        }
    }

    /** The launcher's network start, if the network waits for the subcommand (bin/piecework). */
    void networkStart(Runnable start) {
        networkStart = start;
    }

    /**
     * Starts the network if it waits (call this only once the input is checked), then returns
     * the engine, waiting a little for it (it may still be starting); fails with status 1.
     */
    TorrentEngine get() throws CliException, InterruptedException {
        Runnable start = networkStart;
        if (start != null) {
            start.run(); // outside the lock: starting binds the engine here from DS
        }
        return await();
    }

    private synchronized TorrentEngine await() throws CliException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (engine == null) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw CliException.failed("the engine did not start (is the listen port in use? "
                        + "PIECEWORK_LOG=info shows why)");
            }
            wait(left);
        }
        return engine;
    }
}
