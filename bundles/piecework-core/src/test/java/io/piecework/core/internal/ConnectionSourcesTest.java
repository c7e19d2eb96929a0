package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.TorrentState;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.transport.ConnectionSource;
import io.piecework.transport.TorrentPeers;
import io.piecework.transport.TorrentRegistration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Web seeds' way in: connection sources get every running torrent and let go when it stops. */
class ConnectionSourcesTest {
    @TempDir
    Path dir;

    /** Records what the engine hands it; each registration notes its close. */
    static final class Recording implements ConnectionSource {
        final List<TorrentMetainfo> attached = new ArrayList<>();
        final List<TorrentPeers> torrents = new ArrayList<>();
        int closed;

        @Override
        public synchronized TorrentRegistration attach(TorrentMetainfo metainfo, TorrentPeers torrent) {
            attached.add(metainfo);
            torrents.add(torrent);
            return () -> {
                synchronized (this) {
                    closed++;
                }
            };
        }
    }

    @Test
    void aSourceGetsTheRunningTorrentAndItsConnectionsBecomePeers() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 4)) {
            Recording source = new Recording();
            h.engine.addConnectionSource(source);
            assertEquals(List.of(h.meta), source.attached);
            // What the source connects goes through the torrent's admission, as a dialled peer would.
            FakeConnection webSeed = new FakeConnection();
            PeerSession p = (PeerSession) source.torrents.get(0).connected(webSeed);
            assertNotNull(p);
            p.onHaveAll();
            p.onUnchoke();
            assertTrue(LoopbackEngines.within(10_000, () -> webSeed.count("request") > 0), "asked for blocks");
        }
    }

    @Test
    void aStoppedTorrentLetsGoAndAStartedOneIsAttachedAgain() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 4)) {
            Recording source = new Recording();
            h.engine.addConnectionSource(source);
            h.torrent.stop();
            assertEquals(1, source.closed);
            h.torrent.start();
            h.awaitState(TorrentState.DOWNLOADING);
            assertTrue(LoopbackEngines.within(10_000, () -> {
                synchronized (source) {
                    return source.attached.size() == 2;
                }
            }), "attached again once open");
            h.engine.removeConnectionSource(source);
            assertEquals(2, source.closed);
        }
    }
}
