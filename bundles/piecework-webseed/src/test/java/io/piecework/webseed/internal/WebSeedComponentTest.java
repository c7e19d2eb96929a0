package io.piecework.webseed.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.transport.PeerConnection;
import io.piecework.transport.PeerHandler;
import io.piecework.transport.TorrentPeers;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The HTTP client is built when a torrent with web seeds needs it, not at activation: building
 * it sets up the JDK's TLS (the trust store parsed), which a download from peers alone never uses.
 */
class WebSeedComponentTest {
    private static final TorrentPeers NOBODY = new TorrentPeers() {
        public int pieceCount() {
            return 3;
        }

        public PeerHandler connected(PeerConnection c) {
            throw new AssertionError("no web seed to connect");
        }
    };

    @Test
    void noClientAtActivationNorForATorrentWithoutWebSeeds() throws Exception {
        WebSeedComponent seeds = new WebSeedComponent(WebSeedSettings.DEFAULTS);
        try {
            assertFalse(seeds.hasClient(), "built at activation");
            seeds.attach(Torrents.single("a", 40_000, 16_384, List.of()), NOBODY).close();
            assertFalse(seeds.hasClient(), "built for a torrent without web seeds");
        } finally {
            seeds.deactivate();
        }
    }

    @Test
    void oneClientOnceAsked() {
        WebSeedComponent seeds = new WebSeedComponent(WebSeedSettings.DEFAULTS);
        try {
            assertSame(seeds.client(), seeds.client());
            assertTrue(seeds.hasClient());
        } finally {
            seeds.deactivate();
        }
    }
}
