package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.piecework.api.engine.TorrentState;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stop against the timer and the disk pool: what the torrent reports afterwards. */
class TorrentRacesTest {
    @TempDir
    Path dir;

    /**
     * The timer's snapshot may be built from the state before a stop and stored after the stop's
     * own: the torrent must still report STOPPED. Each round starts the timer's publish a little
     * later, sweeping the window; once fixed no round can fail.
     */
    @Test
    void statsShowStoppedWhenTheTimerPublishesDuringTheStop() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 4)) {
            for (int round = 0; round < 400; round++) {
                if (round > 0) {
                    h.torrent.start();
                    h.awaitState(TorrentState.DOWNLOADING);
                }
                CountDownLatch go = new CountDownLatch(1);
                int delay = round % 40;
                Thread timer = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < delay * 50; i++) {
                        Thread.onSpinWait();
                    }
                    h.torrent.publish();
                });
                timer.start();
                go.countDown();
                h.torrent.stop();
                timer.join(10_000);
                assertEquals(TorrentState.STOPPED, h.torrent.stats().state(), "round " + round);
            }
        }
    }

    /**
     * A write that was on its way to disk when the torrent stopped fails against the closed
     * storage: that is no error of the torrent, which was started again meanwhile.
     */
    @Test
    void aWriteFailingAfterAStopDoesNotFailTheRestartedTorrent() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 4)) {
            MemoryStorage first = h.storage();
            first.writeGate = new CompletableFuture<>();
            PeerSession p = h.seed(new FakeConnection());
            TorrentHarness.deliver(p, 0, 0);
            h.torrent.stop();
            h.torrent.start();
            h.awaitState(TorrentState.DOWNLOADING);
            first.writeGate.complete(null);
            assertFalse(LoopbackEngines.within(1_000, () -> h.torrent.state() == TorrentState.ERROR),
                    "torrent failed: " + h.torrent.stats().error());
        }
    }
}
