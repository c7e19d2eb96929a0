package io.piecework.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.InfoHash;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link Watch}: a download that completes is reported when it completes, not at the next poll. */
class WatchTest {
    private static final long HOUR_MS = TimeUnit.HOURS.toMillis(1);

    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private final TransferStatus status = new TransferStatus(new PrintStream(OutputStream.nullOutputStream()), false);

    /** A torrent in progress; only its completion and statistics are asked for. */
    private TorrentHandle downloading() {
        TorrentStats stats = new TorrentStats(InfoHash.of(new byte[20]), "x", TorrentState.DOWNLOADING, 4, 1, 40, 10,
                10, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Optional.empty());
        return (TorrentHandle) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {TorrentHandle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "completion" -> completion;
                    case "stats" -> stats;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Completes the torrent once {@code follower} waits (between polls), from another thread. */
    private void completeWhenWaiting(Thread follower) {
        Thread completer = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (follower.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            completion.complete(null);
        });
        completer.setDaemon(true);
        completer.start();
    }

    @Test
    void aDownloadThatCompletesBetweenPollsIsReportedAtOnce() {
        // An hour between polls: within the bound, only the completion itself can end the wait.
        TorrentStats last = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            completeWhenWaiting(Thread.currentThread());
            return Watch.follow(downloading(), status, new CountDownLatch(1), false, HOUR_MS);
        });
        assertTrue(completion.isDone());
        assertEquals("x", last.name());
    }

    @Test
    void aStopEndsTheWatchAtTheNextPoll() {
        CountDownLatch stopped = new CountDownLatch(1);
        stopped.countDown();
        TorrentStats last = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> Watch.follow(downloading(), status, stopped, false, 10));
        assertEquals(TorrentState.DOWNLOADING, last.state());
        assertTrue(!completion.isDone());
    }

    @Test
    void seedingUntilStoppedIgnoresCompletion() {
        completion.complete(null);
        CountDownLatch stopped = new CountDownLatch(1);
        stopped.countDown();
        TorrentStats last = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> Watch.follow(downloading(), status, stopped, true, HOUR_MS));
        assertEquals("x", last.name());
    }
}
