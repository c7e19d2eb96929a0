package io.piecework.shell.internal;

import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.text.Untrusted;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
                if (stopped.await(POLL_MS, TimeUnit.MILLISECONDS)) {
                    return s;
                }
            }
        } finally {
            status.finish();
        }
    }
}
