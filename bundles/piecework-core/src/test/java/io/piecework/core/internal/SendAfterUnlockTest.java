package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's one rule: change state under the torrent's lock, send after unlocking. */
class SendAfterUnlockTest {
    @TempDir
    Path dir;

    @Test
    void aWholeDownloadSendsNothingWhileHoldingTheTorrentLock() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 8)) {
            FakeConnection a = new FakeConnection();
            FakeConnection b = new FakeConnection();
            a.watch(h.torrent.lock::isHeldByCurrentThread);
            b.watch(h.torrent.lock::isHeldByCurrentThread);
            PeerSession pa = h.seed(a);
            PeerSession pb = h.seed(b);
            // Serve every request, from whichever peer was asked first (endgame duplicates are cancelled).
            for (int round = 0; round < 100 && !h.torrent.completion().isDone(); round++) {
                for (PeerSession p : new PeerSession[] {pa, pb}) {
                    FakeConnection c = (FakeConnection) p.connection;
                    for (String m : c.sent()) {
                        String[] r = m.split(" ");
                        if (r[0].equals("request") && !h.torrent.blocks.tracker.have(Integer.parseInt(r[1]))) {
                            TorrentHarness.deliver(p, Integer.parseInt(r[1]), Integer.parseInt(r[2]) / PieceTracker.BLOCK);
                        }
                    }
                }
                LoopbackEngines.within(200, () -> h.torrent.completion().isDone());
            }
            h.torrent.completion().get(10, TimeUnit.SECONDS);
            assertTrue(a.count("interested") > 0 && a.count("request") > 0 && a.count("have") > 0, a.sent().toString());
            assertEquals(0, a.sentUnderLock(), "sent to a under the lock: " + a.sent());
            assertEquals(0, b.sentUnderLock(), "sent to b under the lock: " + b.sent());
        }
    }
}
