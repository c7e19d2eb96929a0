package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.TorrentState;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * A complete torrent whose peers want nothing is ticked seldom, and still does what its timer is
 * for: an interested peer, a request, a leaving peer wake it at once; idle peers are evicted and
 * choking rounds run while it is quiet. The engine's own timer is taken off the torrent, and the
 * test offers ticks with a clock of its own, a second apart: nothing here waits for real time.
 */
class TorrentTimerTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @TempDir
    Path dir;

    /** A seeding torrent of four pieces on the test's clock, with a peer that lacks piece 3 and wants nothing. */
    private static final class Seeding implements AutoCloseable {
        final TorrentHarness h;
        final FakeConnection connection = new FakeConnection();
        final PeerSession peer;
        long now = System.nanoTime();

        Seeding(Path dir) throws Exception {
            h = new TorrentHarness(dir, 4);
            for (int piece = 0; piece < 4; piece++) {
                h.torrent.blocks.verified(h.storage(), piece, true, null);
            }
            h.awaitState(TorrentState.SEEDING);
            h.engine.stopTicking(h.torrent.timer);
            h.engine.scheduler().submit(() -> { }).get(10, TimeUnit.SECONDS); // a tick under way is over
            peer = (PeerSession) h.torrent.connected(connection);
            peer.onBitfield(RoaringBitmap.bitmapOf(0, 1, 2));
        }

        /** Offers the timer a tick a second for {@code seconds}; @return the ticks it took */
        long seconds(int seconds) {
            long before = h.torrent.timer.ticks();
            for (int i = 0; i < seconds; i++) {
                now += SECOND;
                h.torrent.timer.offer(now);
            }
            return h.torrent.timer.ticks() - before;
        }

        /** Offers ticks until one is taken: the next is ten seconds away for a quiet torrent. */
        void untilATick() {
            for (int i = 0; i < 20 && seconds(1) == 0; i++) {
                // the bound only guards against a timer that never ticks: the assertions judge
            }
        }

        @Override
        public void close() {
            h.close();
        }
    }

    @Test
    void aQuietTorrentTakesOneTickInTenAndABusyOneEvery() throws Exception {
        try (Seeding s = new Seeding(dir)) {
            s.seconds(5); // settles: its first choking round, its rates
            long quiet = s.seconds(100);
            assertTrue(quiet >= 9 && quiet <= 11, "a quiet torrent ticked " + quiet + " times in 100 s");
            s.peer.onInterested();
            long busy = s.seconds(100);
            assertEquals(100, busy, "a torrent with an interested peer ticks every second");
        }
    }

    /**
     * Offered ticks ten times a second, a busy torrent ticks once a second on the phase it
     * started with: torrents started at different times do not all tick in the same slice (in one
     * burst the first torrents took every dial slot and the others waited a second for theirs).
     */
    @Test
    void aBusyTorrentTicksEverySecondOnItsOwnPhase() throws Exception {
        try (Seeding s = new Seeding(dir)) {
            s.peer.onInterested();
            long start = s.now + SECOND / 2; // half a second out of step with the test's seconds
            s.h.torrent.timer.schedule(start);
            long slice = TimeUnit.MILLISECONDS.toNanos(Engine.TICK_SLICE_MILLIS);
            java.util.List<Long> tickedAt = new java.util.ArrayList<>();
            for (long at = start + slice; at - (start + 10 * SECOND) <= 0; at += slice) {
                long before = s.h.torrent.timer.ticks();
                s.h.torrent.timer.offer(at);
                if (s.h.torrent.timer.ticks() > before) {
                    tickedAt.add((at - start + slice / 2) / slice); // in slices since the start
                }
            }
            assertEquals(java.util.List.of(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L, 100L), tickedAt);
        }
    }

    @Test
    void anInterestedPeerWakesItForTheNextSecond() throws Exception {
        try (Seeding s = new Seeding(dir)) {
            s.seconds(15);
            s.untilATick();
            assertEquals(0, s.seconds(1), "quiet: its next tick is ten seconds away");
            s.peer.onInterested();
            assertEquals(1, s.seconds(1), "the next second's tick is taken");
            assertFalse(s.peer.amChoking, "a free upload slot unchokes it");
        }
    }

    @Test
    void aPeerHoldsADownloadMeterOnlyWhileBlocksCome() throws Exception {
        try (Seeding s = new Seeding(dir)) {
            s.seconds(5);
            assertFalse(s.peer.holdsRateMeters(), "a peer that moved nothing holds no meter");
            s.h.torrent.lock.lock(); // blocks are booked under it
            try {
                s.peer.downloaded(3 * PieceTracker.BLOCK);
            } finally {
                s.h.torrent.lock.unlock();
            }
            s.untilATick();
            assertTrue(s.peer.downloadRate() > 0, "a block gives it a rate");
            s.seconds(60); // quiet: its rate decays to zero and a tick drops the meter (the peer stays: not idle yet)
            assertEquals(0, s.peer.downloadRate());
            assertFalse(s.peer.holdsRateMeters(), "a quiet peer holds no meter");
            s.h.torrent.lock.lock(); // blocks are booked under it
            try {
                s.peer.downloaded(PieceTracker.BLOCK);
            } finally {
                s.h.torrent.lock.unlock();
            }
            s.untilATick();
            assertTrue(s.peer.downloadRate() > 0, "the next block starts a new meter");
        }
    }

    @Test
    void aPeerThatNeverAskedHoldsNoUploadQueueNorBackoffTheFirstRequestMakesItsQueue() throws Exception {
        try (Seeding s = new Seeding(dir)) {
            s.seconds(3);
            assertNull(s.peer.uploadQueueIfMade(), "an idle peer holds no upload queue");
            assertSame(RejectBackoff.NONE, s.peer.rejects, "nor a reject backoff of its own");
            s.peer.onInterested();
            s.peer.onRequest(0, 0, PieceTracker.BLOCK);
            assertTrue(LoopbackEngines.within(10_000, () -> s.connection.count("piece") == 1), "served");
            assertNotNull(s.peer.uploadQueueIfMade(), "its first request made the queue");
        }
    }

    @Test
    void aRequestWakesItAndItsQueueIsGivenBackOnceServed() throws Exception {
        try (Seeding s = new Seeding(dir)) {
            s.seconds(15);
            s.peer.onInterested();
            s.peer.onRequest(0, 0, PieceTracker.BLOCK);
            assertTrue(LoopbackEngines.within(10_000, () -> s.connection.count("piece") == 1), "served");
            s.peer.onNotInterested();
            s.seconds(3);
            assertEquals(0, s.peer.uploadQueueIfMade().allocated(), "a quiet peer holds no upload ring");
            assertEquals(0, s.peer.pending.capacity(), "nor request arrays");
            assertEquals(0, s.h.torrent.blocks.writes.allocated(), "a quiet torrent holds no write ring");
        }
    }

    @Test
    void aPeerLeavingWakesItSoTheStatisticsCountItGone() throws Exception {
        try (Seeding s = new Seeding(dir)) {
            s.seconds(15);
            s.untilATick();
            assertEquals(1, s.h.torrent.stats().peers());
            s.peer.onClosed("gone");
            assertEquals(1, s.seconds(1));
            assertEquals(0, s.h.torrent.stats().peers());
        }
    }

    @Test
    void aPausedTorrentIsQuietEvenWithAnInterestedPeerAndResumingWakesIt() throws Exception {
        try (Seeding s = new Seeding(dir)) {
            s.h.torrent.pause();
            s.peer.onInterested(); // choked: pausing uploads nothing
            s.seconds(5);
            long paused = s.seconds(100);
            assertTrue(paused >= 9 && paused <= 11, "a paused torrent ticked " + paused + " times in 100 s");
            s.untilATick();
            s.h.torrent.start();
            assertEquals(TorrentState.SEEDING, s.h.torrent.state());
            assertEquals(1, s.seconds(1), "resumed: the next second's tick is taken");
            assertEquals(10, s.seconds(10), "and every one after, with a peer interested");
        }
    }

    @Test
    void aPeerToDialWakesIt() throws Exception {
        try (Seeding s = new Seeding(dir)) {
            s.seconds(15);
            s.untilATick();
            s.h.torrent.connect(new java.net.InetSocketAddress("192.0.2.1", 6881));
            assertEquals(1, s.seconds(1), "the connector dials on the next second's tick");
        }
    }

    @Test
    void idlePeersAreStillEvictedWhileQuiet() throws Exception {
        try (Seeding s = new Seeding(dir)) {
            long idle = PeerLimits.DEFAULTS.idlePeerSeconds();
            s.seconds((int) idle - 5);
            assertEquals(null, s.connection.closedFor, "not idle for long enough yet");
            s.seconds(20); // one quiet tick in ten: evicted within ten seconds of being due
            assertNotNull(s.connection.closedFor, "a peer that wants nothing is evicted after " + idle + " s");
        }
    }

    @Test
    void chokingRoundsStillRunWhileQuiet() throws Exception {
        try (Seeding s = new Seeding(dir)) {
            s.peer.onInterested(); // unchoked: a free slot
            s.peer.onNotInterested(); // and no longer interested: the next round chokes it
            assertFalse(s.peer.amChoking);
            s.seconds(25);
            assertTrue(s.peer.amChoking, "a choking round chokes a peer that is not interested");
        }
    }
}
