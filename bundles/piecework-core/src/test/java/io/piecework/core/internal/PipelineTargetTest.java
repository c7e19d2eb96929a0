package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piecework.wire.ExtendedHandshake;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How far a peer's request pipeline reaches as blocks arrive: slow start widens it by one per
 * block up to a cap one below the peer's reqq, then blocks leave it to the once-a-second resize.
 */
class PipelineTargetTest {
    @TempDir
    Path dir;

    private static PeerSession session(TorrentHarness h, String client, int reqq) {
        PeerSession p = (PeerSession) h.torrent.connected(new FakeConnection());
        p.onExtendedHandshake(ExtendedHandshake.ours(client, 6881, reqq, 0));
        return p;
    }

    /*
     * Transmission 3.00 announces reqq 512 and rejects the 512th queued request (and tells us
     * only with its next batch, ~10 s later): the pipeline stays one below what the peer announces.
     */
    @Test
    void pipelineStaysOneBelowThePeersReqq() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 4)) {
            PeerSession p = session(h, "Transmission 3.00", 512);
            for (int i = 0; i < 2_000; i++) {
                p.blockReceived(); // slow start widens by one per block up to the cap
            }
            assertEquals(511, p.pipelineTarget);
        }
    }

    @Test
    void aReqqAboveOurMaximumStillCapsAtTheMaximum() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 4)) {
            PeerSession p = session(h, "libtorrent", 5_000);
            for (int i = 0; i < 2_000; i++) {
                p.blockReceived();
            }
            assertEquals(PeerSession.MAX_PIPELINE, p.pipelineTarget);
        }
    }

    // blockReceived has no branch, so the decoder's compiled loop survives the end of slow
    // start; these pin what it computes.
    @Test
    void blocksWidenThePipelineByOneEachInSlowStart() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 4)) {
            PeerSession p = session(h, "libtorrent", 500);
            int start = p.pipelineTarget;
            for (int i = 0; i < 10; i++) {
                p.blockReceived();
            }
            assertEquals(start + 10, p.pipelineTarget);
        }
    }

    @Test
    void afterSlowStartBlocksLeaveThePipelineAlone() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 4)) {
            PeerSession p = session(h, "libtorrent", 500);
            p.blockReceived();
            p.endSlowStart();
            int after = p.pipelineTarget;
            for (int i = 0; i < 100; i++) {
                p.blockReceived();
            }
            assertEquals(after, p.pipelineTarget);
        }
    }

    @Test
    void aPipelineAboveALoweredCapIsNotCutByABlock() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 4)) {
            PeerSession p = session(h, "libtorrent", 500);
            p.pipelineTarget = 300;
            p.onExtendedHandshake(ExtendedHandshake.ours("libtorrent", 6881, 100, 0));
            p.blockReceived();
            assertEquals(300, p.pipelineTarget); // the resize lowers it, not a block
        }
    }
}
