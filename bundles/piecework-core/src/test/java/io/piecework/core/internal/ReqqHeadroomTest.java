package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piecework.wire.ExtendedHandshake;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transmission 3.00 announces reqq 512 and rejects the 512th queued request (and tells us only
 * with its next batch, ~10 s later): the pipeline stays one below what the peer announces.
 */
class ReqqHeadroomTest {
    @TempDir
    Path dir;

    @Test
    void pipelineStaysOneBelowThePeersReqq() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 4)) {
            PeerSession p = (PeerSession) h.torrent.connected(new FakeConnection());
            p.onExtendedHandshake(ExtendedHandshake.ours("Transmission 3.00", 51413, 512, 0));
            for (int i = 0; i < 2_000; i++) {
                p.blockReceived(); // slow start widens by one per block up to the cap
            }
            assertEquals(511, p.pipelineTarget);
        }
    }

    @Test
    void aReqqAboveOurMaximumStillCapsAtTheMaximum() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 4)) {
            PeerSession p = (PeerSession) h.torrent.connected(new FakeConnection());
            p.onExtendedHandshake(ExtendedHandshake.ours("libtorrent", 6881, 5_000, 0));
            for (int i = 0; i < 2_000; i++) {
                p.blockReceived();
            }
            assertEquals(PeerSession.MAX_PIPELINE, p.pipelineTarget);
        }
    }
}
