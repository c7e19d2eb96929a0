package io.piecework.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.QueueLimits;
import io.piecework.api.engine.SeedLimits;
import io.piecework.api.engine.TorrentQueue;
import io.piecework.api.engine.TorrentState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SessionQueueTest {
    private final QueueFakes engine = new QueueFakes();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final List<QueueLimits> kept = new ArrayList<>();
    private final AtomicInteger saves = new AtomicInteger();

    private SessionQueue queue(QueueLimits limits) {
        SessionQueue q = new SessionQueue(engine, limits, tasks::add, clock::get, kept::add, saves::incrementAndGet);
        engine.listener = q::onEvent;
        return q;
    }

    /** Runs what the session's thread would, in order, until nothing is left. */
    private void drain() {
        QueueFakes.drain(tasks);
    }

    private static QueueLimits downloads(int n) {
        return new QueueLimits(true, n, false, 10, false, 2.0, false, 30);
    }

    @Test
    void beyondTheDownloadSlotsATorrentWaitsStoppedAndStartsWhenOneFrees() {
        SessionQueue q = queue(downloads(2));
        QueueFakes.Fake a = engine.add(1, false, false);
        QueueFakes.Fake b = engine.add(2, false, false);
        QueueFakes.Fake c = engine.add(3, false, false);
        drain();
        assertEquals(TorrentState.DOWNLOADING, a.state);
        assertEquals(TorrentState.DOWNLOADING, b.state);
        assertEquals(TorrentState.STOPPED, c.state);
        assertTrue(q.queued(c.hash));
        assertTrue(q.wanted(c.hash), "a queued torrent is saved as started");
        assertEquals(2, q.position(c.hash));

        a.stop(); // as the shell would
        drain();
        assertEquals(TorrentState.DOWNLOADING, c.state);
        assertFalse(q.queued(c.hash));
        assertFalse(q.wanted(a.hash), "stopped by hand: it does not take a slot back");
        assertEquals(TorrentState.STOPPED, a.state);
    }

    @Test
    void movingATorrentToTheTopGivesItTheSlotOfTheLastRunningOne() {
        SessionQueue q = queue(downloads(1));
        QueueFakes.Fake a = engine.add(1, false, false);
        QueueFakes.Fake b = engine.add(2, false, false);
        drain();
        assertTrue(q.queued(b.hash));

        q.move(List.of(b.hash), TorrentQueue.Move.TOP);
        drain();
        assertEquals(0, q.position(b.hash));
        assertEquals(TorrentState.DOWNLOADING, b.state);
        assertEquals(TorrentState.STOPPED, a.state);
        assertTrue(q.queued(a.hash), "it waits, still wanted");
        assertTrue(saves.get() > 0, "the new order is saved");

        q.move(List.of(b.hash), TorrentQueue.Move.DOWN);
        drain();
        assertEquals(1, q.position(b.hash));
        assertEquals(TorrentState.DOWNLOADING, a.state);
        q.move(List.of(b.hash), TorrentQueue.Move.UP);
        assertEquals(0, q.position(b.hash));
        q.move(List.of(b.hash), TorrentQueue.Move.BOTTOM);
        assertEquals(1, q.position(b.hash));
    }

    @Test
    void seedsHaveTheirOwnSlots() {
        SessionQueue q = queue(new QueueLimits(true, 1, true, 1, false, 2.0, false, 30));
        QueueFakes.Fake seedA = engine.add(1, true, false);
        QueueFakes.Fake seedB = engine.add(2, true, false);
        QueueFakes.Fake download = engine.add(3, false, false);
        drain();
        assertEquals(TorrentState.SEEDING, seedA.state);
        assertTrue(q.queued(seedB.hash));
        assertEquals(TorrentState.DOWNLOADING, download.state, "a download does not wait for a seeding slot");
    }

    @Test
    void limitsChangedLiveStartWhatNowFitsAndAreKept() {
        SessionQueue q = queue(downloads(1));
        engine.add(1, false, false);
        QueueFakes.Fake b = engine.add(2, false, false);
        drain();
        assertTrue(q.queued(b.hash));
        q.limits(downloads(2));
        drain();
        assertEquals(TorrentState.DOWNLOADING, b.state);
        assertEquals(List.of(downloads(2)), kept);
    }

    @Test
    void startNowRunsOutsideTheLimits() {
        SessionQueue q = queue(downloads(1));
        engine.add(1, false, false);
        QueueFakes.Fake b = engine.add(2, false, true);
        drain();
        q.start(b.hash, false);
        drain();
        assertTrue(q.queued(b.hash));
        q.start(b.hash, true);
        drain();
        assertEquals(TorrentState.DOWNLOADING, b.state);
    }

    @Test
    void seedingStopsAtTheGlobalRatioAndAStartByHandLiftsTheLimit() {
        SessionQueue q = queue(new QueueLimits(false, 5, false, 10, true, 1.5, false, 30));
        QueueFakes.Fake seed = engine.add(1, true, false);
        drain();
        seed.uploaded = 1499; // of 1000 bytes
        q.rebalance();
        drain();
        assertEquals(TorrentState.SEEDING, seed.state);

        seed.uploaded = 1500;
        q.rebalance();
        drain();
        assertEquals(TorrentState.STOPPED, seed.state);
        assertTrue(q.finished(seed.hash));
        assertFalse(q.wanted(seed.hash));

        seed.start();
        q.rebalance();
        drain();
        assertEquals(TorrentState.SEEDING, seed.state, "started again by hand, it seeds on");
        assertEquals(SeedLimits.Mode.UNLIMITED, q.seedLimits(seed.hash).ratioMode());
    }

    @Test
    void aTorrentsOwnRatioOverridesTheSessionsAndUnlimitedIgnoresIt() {
        SessionQueue q = queue(new QueueLimits(false, 5, false, 10, true, 1.0, false, 30));
        QueueFakes.Fake own = engine.add(1, true, false);
        QueueFakes.Fake free = engine.add(2, true, false);
        q.seedLimits(own.hash, new SeedLimits(SeedLimits.Mode.SINGLE, 3.0, SeedLimits.Mode.GLOBAL, 0));
        q.seedLimits(free.hash, new SeedLimits(SeedLimits.Mode.UNLIMITED, 0, SeedLimits.Mode.GLOBAL, 0));
        own.uploaded = 2000;
        free.uploaded = 100_000;
        drain();
        q.rebalance();
        assertEquals(TorrentState.SEEDING, own.state);
        assertEquals(TorrentState.SEEDING, free.state);
        own.uploaded = 3000;
        q.rebalance();
        drain();
        assertEquals(TorrentState.STOPPED, own.state);
        assertEquals(TorrentState.SEEDING, free.state);
    }

    @Test
    void seedingStopsAfterTheIdleLimitCountedFromTheLastUpload() {
        SessionQueue q = queue(new QueueLimits(false, 5, false, 10, false, 2.0, true, 2));
        QueueFakes.Fake seed = engine.add(1, true, false);
        drain();
        clock.addAndGet(110_000);
        seed.uploaded = 10; // an upload at 110 s
        q.rebalance();
        clock.addAndGet(100_000); // 210 s since the start, 100 s since the upload
        q.rebalance();
        drain();
        assertEquals(TorrentState.SEEDING, seed.state);
        clock.addAndGet(20_000);
        q.rebalance();
        drain();
        assertEquals(TorrentState.STOPPED, seed.state);
        assertTrue(q.finished(seed.hash));
    }

    @Test
    void aRemovedTorrentLeavesTheQueue() {
        SessionQueue q = queue(downloads(1));
        QueueFakes.Fake a = engine.add(1, false, false);
        QueueFakes.Fake b = engine.add(2, false, false);
        drain();
        a.remove(false);
        drain();
        assertEquals(-1, q.position(a.hash));
        assertEquals(0, q.position(b.hash));
        assertEquals(TorrentState.DOWNLOADING, b.state);
    }

    @Test
    void aTorrentSavedCompleteTakesASeedingSlotBeforeItsPiecesAreKnown() {
        SessionQueue q = queue(downloads(1));
        QueueFakes.Fake down = engine.add(1, false, false);
        QueueFakes.Fake seed = engine.add(2, true, true); // restored stopped: no pieces known until it runs
        q.restored(seed.hash, true);
        q.start(seed.hash, false);
        drain();
        assertEquals(TorrentState.SEEDING, seed.state, "not queued behind the download");
        assertEquals(TorrentState.DOWNLOADING, down.state);
        assertFalse(q.completeOnDisk(seed.hash, true), "once it ran, its statistics say");
    }

    @Test
    void aTorrentAddedStoppedIsCheckedBeforeItIsQueuedSoASeedIsNotTakenForADownload() {
        SessionQueue q = queue(downloads(1));
        QueueFakes.Fake down = engine.add(1, false, false);
        QueueFakes.Fake seed = engine.add(2, true, true);
        QueueFakes.Fake other = engine.add(3, false, true);
        drain();
        q.start(seed.hash, false);
        q.start(other.hash, false);
        drain();
        assertEquals(TorrentState.SEEDING, seed.state, "checked, found complete: a seed");
        assertEquals(1, other.starts, "checked once");
        assertEquals(TorrentState.STOPPED, other.state, "found incomplete: waits for the download slot");
        assertTrue(q.queued(other.hash));
        assertEquals(TorrentState.DOWNLOADING, down.state);
    }

    @Test
    void aStartAskedForTriesATorrentInErrorAgain() {
        SessionQueue q = queue(downloads(2));
        QueueFakes.Fake a = engine.add(1, false, false);
        drain();
        a.set(TorrentState.ERROR); // a disk error
        q.rebalance();
        drain();
        assertEquals(TorrentState.ERROR, a.state, "not retried in a loop");
        q.start(a.hash, false);
        drain();
        assertEquals(TorrentState.DOWNLOADING, a.state);
    }
}
