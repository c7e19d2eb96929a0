package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.PeerId;
import io.piecework.transport.PeerConnection;
import io.piecework.transport.PeerTransport;
import io.piecework.transport.TorrentPeers;
import io.piecework.transport.TorrentRegistration;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A configuration change reaches the running engine (EngineComponent's @Modified calls
 * {@link Engine#settings(EngineSettings)}): before, the engine kept the settings it was made
 * with, and upload slots or peer limits changed only by restarting it and its torrents.
 */
class LiveSettingsTest {
    private final Engine engine = new Engine(new PeerTransport() {
        @Override
        public PeerId localPeerId() {
            return PeerId.generate(new Random(1));
        }

        @Override
        public int port() {
            return -1;
        }

        @Override
        public TorrentRegistration register(InfoHash infoHash, TorrentPeers torrent) {
            return () -> { };
        }

        @Override
        public CompletableFuture<PeerConnection> connect(InfoHash infoHash, InetSocketAddress address) {
            return new CompletableFuture<>();
        }
    }, new EngineSettings(50, 1, 4, 10, 2));

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void newLimitsApplyWithoutARestart() {
        assertTrue(engine.takeConnectionSlot());
        assertFalse(engine.takeConnectionSlot(), "one connection allowed");

        engine.settings(new EngineSettings(80, 2, 8, 15, 3));
        assertTrue(engine.takeConnectionSlot(), "the second slot exists once the limit is raised");
        assertEquals(8, engine.settings().uploadSlots());
        assertEquals(80, engine.settings().maxPeersPerTorrent());
        assertEquals(3, ((ThreadPoolExecutor) engine.disk()).getMaximumPoolSize(), "the disk pool grows");

        engine.settings(new EngineSettings(80, 2, 8, 15, 1));
        assertEquals(1, ((ThreadPoolExecutor) engine.disk()).getCorePoolSize(), "and shrinks");
    }
}
