package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.TorrentMetainfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The per-address limit and the idle rule, set tight so a test sees them at work on loopback. */
class PeerLimitsLoopbackTest {
    private static final int SLOTS = 8;

    @TempDir
    Path dir;
    @RegisterExtension
    final LoopbackEngines engines = new LoopbackEngines(() -> dir);

    @Test
    void connectionsFromOneAddressAreBoundedAndALeecherThereStillGetsIn() throws Exception {
        TorrentMetainfo meta = IdleCrowd.torrent(dir);
        // Loopback is exempt by default (every local client shares it): limit it here as any address.
        Engine seeder = engines.engine("seeder", new EngineSettings(SLOTS, 500, 4, 10, 2)
                .withPeerLimits(new PeerLimits(2_000, 10, 2, 2, 120)));
        TorrentHandle seeding = seeder.add(meta, AddOptions.in(dir.resolve("seed")));
        seeding.completion().get(30, TimeUnit.SECONDS);
        try (IdleCrowd crowd = new IdleCrowd(seeder, meta, 5)) {
            assertTrue(LoopbackEngines.within(10_000, () -> crowd.closed() == 3),
                    "three of five connections from one address turned away");
            assertTrue(LoopbackEngines.within(5_000, () -> seeding.stats().peers() == 2), "two stay");
            Engine leecher = engines.engine("leecher");
            TorrentHandle leeching = leecher.add(meta, AddOptions.in(dir.resolve("down"))
                    .withPeers(List.of(new InetSocketAddress("127.0.0.1", seeder.listenPort()))));
            leeching.completion().get(60, TimeUnit.SECONDS);
            assertTrue(seeding.stats().peers() <= 2);
        }
    }

    @Test
    void aPeerDribblingKeepAlivesAndWantingNothingIsDisconnected() throws Exception {
        TorrentMetainfo meta = IdleCrowd.torrent(dir);
        Engine seeder = engines.engine("seeder", new EngineSettings(SLOTS, 500, 4, 10, 2)
                .withPeerLimits(new PeerLimits(2_000, 10, 2, 0, 2)));
        TorrentHandle seeding = seeder.add(meta, AddOptions.in(dir.resolve("seed")));
        seeding.completion().get(30, TimeUnit.SECONDS);
        try (FakePeer dribbler = FakePeer.dial(seeder.listenPort(), meta.infoHash(), meta.pieceCount())) {
            // A byte every 200 ms: every read resets a byte-counting timer, yet it says nothing.
            AtomicBoolean refused = new AtomicBoolean();
            ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
            try {
                drip.scheduleWithFixedDelay(() -> {
                    try {
                        dribbler.send(java.nio.ByteBuffer.allocate(1).put((byte) 0));
                    } catch (IOException e) {
                        refused.set(true);
                    }
                }, 0, 200, TimeUnit.MILLISECONDS);
                boolean closed = LoopbackEngines.within(15_000, () -> refused.get() || dribbler.closed);
                assertTrue(closed, "the idle peer was let go");
            } finally {
                drip.shutdownNow();
            }
        }
    }
}
