package io.piecework.shell.internal;

import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.text.Untrusted;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Follows one torrent for a subcommand until it completes or, with {@code untilStopped},
 * until the subcommand's component is deactivated (the framework stopping on Ctrl-C or
 * SIGTERM: the engine then stops the torrent and saves its state).
 */
final class Watch {
    private static final long POLL_MS = 100;

    private Watch() {
    }

    /**
     * Returns the last statistics seen: complete, or the moment {@code stopped} opened.
     * Throws {@link CliException#failed} with the engine's message on {@link TorrentState#ERROR}.
     */
    static TorrentStats follow(TorrentHandle torrent, TransferStatus status, CountDownLatch stopped,
                               boolean untilStopped) throws CliException, InterruptedException {
        return follow(torrent, status, stopped, untilStopped, POLL_MS);
    }

    /**
     * As above, showing progress every {@code pollMillis}. Waiting for completion, it is woken by
     * the completion itself: {@code get} reports a finished download at once, not at the next
     * poll (up to a tenth of a second of a few-second download); a stop is seen at the next poll.
     */
    static TorrentStats follow(TorrentHandle torrent, TransferStatus status, CountDownLatch stopped,
                               boolean untilStopped, long pollMillis) throws CliException, InterruptedException {
        try {
            while (true) {
                TorrentStats s = torrent.stats();
                if (s.state() == TorrentState.ERROR) {
                    throw CliException.failed(Untrusted.text(s.name()) + ": " + Untrusted.text(s.error().orElse("engine error")));
                }
                status.show(s);
                if (!untilStopped && torrent.completion().isDone()) {
                    return torrent.stats();
                }
                if (untilStopped ? stopped.await(pollMillis, TimeUnit.MILLISECONDS)
                        : !completes(torrent, pollMillis) && stopped.getCount() == 0) {
                    return s;
                }
            }
        } finally {
            status.finish();
        }
    }

    /** Waits up to {@code millis} for the torrent to complete; true once its completion is done. */
    private static boolean completes(TorrentHandle torrent, long millis) throws InterruptedException {
        try {
            torrent.completion().get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException | CancellationException e) {
            // Done all the same: the caller reads the outcome from the torrent
        }
        return true;
    }
}
