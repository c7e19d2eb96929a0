package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.TorrentState;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * On the engine's real timer: a complete torrent whose peer wants nothing takes the torrent's
 * lock far less often than the same torrent with an interested peer, as it is ticked once in ten
 * seconds instead of every second. Compared within one run (a ratio, not a time); the wait ends
 * when the busy torrent has had a dozen ticks, bounded.
 */
class QuietTorrentTest {
    @TempDir
    Path dir;

    @Test
    void aCompleteTorrentWhosePeersWantNothingIsHardlyTicked() throws Exception {
        try (TorrentHarness quiet = seeding(dir.resolve("quiet"), false);
             TorrentHarness busy = seeding(dir.resolve("busy"), true)) {
            long quiet0 = quiet.torrent.lock.acquisitions();
            long busy0 = busy.torrent.lock.acquisitions();
            // A tick takes the lock once; an interested peer's torrent ticks every second.
            assertTrue(LoopbackEngines.within(60_000, () -> busy.torrent.lock.acquisitions() - busy0 >= 12),
                    "the busy torrent ticks");
            long quietTaken = quiet.torrent.lock.acquisitions() - quiet0;
            long busyTaken = busy.torrent.lock.acquisitions() - busy0;
            assertTrue(quietTaken * 3 < busyTaken,
                    "quiet torrent took its lock " + quietTaken + " times while the busy one took it " + busyTaken);
        }
    }

    /** A complete torrent with one peer that lacks a piece and is interested in it or not. */
    private static TorrentHarness seeding(Path dir, boolean interested) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        TorrentHarness h = new TorrentHarness(dir, 4);
        for (int piece = 0; piece < 4; piece++) {
            h.torrent.blocks.verified(h.storage(), piece, true, null);
        }
        h.awaitState(TorrentState.SEEDING);
        PeerSession p = (PeerSession) h.torrent.connected(new FakeConnection());
        p.onBitfield(RoaringBitmap.bitmapOf(0, 1, 2));
        if (interested) {
            p.onInterested();
        }
        return h;
    }
}
