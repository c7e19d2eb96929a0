package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piecework.wire.ExtendedHandshake;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's slow start as blocks arrive: a block each widens it by one until slow start
 * ends, then blocks leave it to the once-a-second resize. (blockReceived has no branch, so the
 * decoder's compiled loop survives the end of slow start; this pins what it computes.)
 */
class SlowStartTest {
    @TempDir
    Path dir;

    @Test
    void blocksWidenThePipelineByOneEachInSlowStart() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 4)) {
            PeerSession p = (PeerSession) h.torrent.connected(new FakeConnection());
            p.onExtendedHandshake(ExtendedHandshake.ours("libtorrent", 6881, 500, 0));
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
            PeerSession p = (PeerSession) h.torrent.connected(new FakeConnection());
            p.onExtendedHandshake(ExtendedHandshake.ours("libtorrent", 6881, 500, 0));
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
            PeerSession p = (PeerSession) h.torrent.connected(new FakeConnection());
            p.onExtendedHandshake(ExtendedHandshake.ours("libtorrent", 6881, 500, 0));
            p.pipelineTarget = 300;
            p.onExtendedHandshake(ExtendedHandshake.ours("libtorrent", 6881, 100, 0));
            p.blockReceived();
            assertEquals(300, p.pipelineTarget); // the resize lowers it, not a block
        }
    }
}
