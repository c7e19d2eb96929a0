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
    private TorrentEngine engine;

    synchronized void set(TorrentEngine e) {
        engine = e;
        notifyAll();
    }

    synchronized void clear(TorrentEngine e) {
        if (engine == e) {
            engine = null;
        }
    }

    /** The engine, waiting a little for it (it may still be starting); fails with status 1. */
    synchronized TorrentEngine get() throws CliException, InterruptedException {
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
