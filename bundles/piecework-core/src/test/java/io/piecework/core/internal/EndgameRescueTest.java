package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.TorrentState;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * A slow peer with a deep queue (Transmission's 511 requests) serves it in order and never sends
 * the last block; the fast peer's endgame duplicates were all of blocks the slow one answered
 * first, so they were cancelled and its pipeline is empty. The torrent's timer, on the test's
 * clock, must hand the late block to the fast peer. Outside endgame nothing is asked twice.
 */
class EndgameRescueTest {
    private static final int B = PieceTracker.BLOCK;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @TempDir
    Path dir;

    /** Stops the engine's own timer on the torrent: the test offers the ticks. */
    private static void ownClock(TorrentHarness h) throws Exception {
        h.engine.stopTicking(h.torrent.timer);
        h.engine.scheduler().submit(() -> { }).get(10, TimeUnit.SECONDS); // a tick under way is over
    }

    /** A peer with every piece that unchoked us and takes {@code pipeline} requests. */
    private static PeerSession peer(TorrentHarness h, FakeConnection c, int pipeline) {
        PeerSession p = (PeerSession) h.torrent.connected(c);
        p.pipelineTarget = pipeline;
        p.onHaveAll();
        p.onUnchoke();
        return p;
    }

    private static long ticks(TorrentHarness h, long from, int seconds) {
        long now = from;
        for (int i = 0; i < seconds; i++) {
            now += SECOND;
            h.torrent.timer.offer(now);
        }
        return now;
    }

    @Test
    void theLastBlockASlowPeerHoldsIsAskedOfTheIdleFastPeerAndTheSlowRequestCancelled() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 1, 64)) {
            ownClock(h);
            FakeConnection a = new FakeConnection();
            FakeConnection b = new FakeConnection();
            PeerSession slow = peer(h, a, 64);
            assertEquals(64, a.count("request 0 "), a.sent().toString());
            PeerSession fast = peer(h, b, 32);
            assertEquals(32, b.count("request 0 "), "endgame: the first 32 asked twice");
            for (int block = 0; block < 63; block++) {
                TorrentHarness.deliver(slow, 0, block, (byte) 0);
            }
            assertTrue(LoopbackEngines.within(10_000, () -> b.count("cancel 0 ") == 32), b.sent().toString());
            String last = "request 0 " + 63 * B + " " + B;
            assertEquals(0, b.count(last));

            long now = ticks(h, System.nanoTime(), 1);
            assertEquals(0, b.count(last), "not late yet: a second is within the floor");
            ticks(h, now, (int) (EndgameRescue.FLOOR_NANOS / SECOND) + 1);
            assertTrue(LoopbackEngines.within(10_000, () -> b.count(last) == 1), b.sent().toString());
            assertEquals(1, a.count(last), "the slow peer is not asked again");

            TorrentHarness.deliver(fast, 0, 63, (byte) 0);
            h.awaitState(TorrentState.SEEDING);
            assertTrue(LoopbackEngines.within(10_000, () -> a.count("cancel 0 " + 63 * B + " ") == 1),
                    a.sent().toString());
        }
    }

    @Test
    void outsideEndgameALateRequestIsNotAskedOfAnotherPeer() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 2, 64)) {
            ownClock(h);
            FakeConnection a = new FakeConnection();
            peer(h, a, 64);
            int piece = a.sent().stream().filter(m -> m.startsWith("request ")).map(m -> m.split(" ")[1])
                    .map(Integer::parseInt).findFirst().orElseThrow();
            assertEquals(64, a.count("request " + piece + " "), "one piece asked of the slow peer");
            // The other peer has only that piece: all of it in flight, the other piece free, no endgame.
            FakeConnection b = new FakeConnection();
            PeerSession other = (PeerSession) h.torrent.connected(b);
            other.onBitfield(RoaringBitmap.bitmapOf(piece));
            other.onUnchoke();
            ticks(h, System.nanoTime(), (int) (EndgameRescue.FLOOR_NANOS / SECOND) * 3);
            h.engine.scheduler().submit(() -> { }).get(10, TimeUnit.SECONDS);
            assertEquals(0, b.count("request"), b.sent().toString());
            assertEquals(false, h.torrent.blocks.tracker.endgame());
        }
    }
}
