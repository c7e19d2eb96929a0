package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.TorrentCreator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
    private final List<FakePeer> idle = new ArrayList<>();

    private TorrentMetainfo torrent() throws Exception {
        Path data = dir.resolve("seed/data.bin");
        byte[] b = new byte[1_000_000];
        new Random(5).nextBytes(b);
        Files.createDirectories(data.getParent());
        Files.write(data, b);
        return TorrentCreator.create(new CreateRequest(data, 32 * 1024, List.of(), List.of(), false, null, 1),
                CreateProgress.NONE);
    }

    /** Opens {@code count} connections that send a handshake and then keep-alives only. */
    private Thread idlers(Engine seeder, TorrentMetainfo meta, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            idle.add(FakePeer.dial(seeder.listenPort(), meta.infoHash(), meta.pieceCount()));
        }
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                for (FakePeer p : idle) {
                    try {
                        p.keepAlive();
                    } catch (IOException e) {
                        // Closed by the seeder: that is what it may do.
                    }
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "keep-alives");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void connectionsFromOneAddressAreBoundedAndALeecherThereStillGetsIn() throws Exception {
        TorrentMetainfo meta = torrent();
        // Loopback is exempt by default (every local client shares it): limit it here as any address.
        Engine seeder = engines.engine("seeder", new EngineSettings(SLOTS, 500, 4, 10, 2)
                .withPeerLimits(new PeerLimits(2_000, 10, 2, 2, 120)));
        TorrentHandle seeding = seeder.add(meta, AddOptions.in(dir.resolve("seed")));
        seeding.completion().get(30, TimeUnit.SECONDS);
        Thread keepAlives = idlers(seeder, meta, 5);
        try {
            assertTrue(LoopbackEngines.within(10_000, () -> idle.stream().filter(p -> p.closed).count() == 3),
                    "three of five connections from one address turned away");
            assertTrue(LoopbackEngines.within(5_000, () -> seeding.stats().peers() == 2), "two stay");
            Engine leecher = engines.engine("leecher");
            TorrentHandle leeching = leecher.add(meta, AddOptions.in(dir.resolve("down"))
                    .withPeers(List.of(new InetSocketAddress("127.0.0.1", seeder.listenPort()))));
            leeching.completion().get(60, TimeUnit.SECONDS);
            assertTrue(seeding.stats().peers() <= 2);
        } finally {
            keepAlives.interrupt();
            for (FakePeer p : idle) {
                p.close();
            }
        }
    }

    @Test
    void aPeerDribblingKeepAlivesAndWantingNothingIsDisconnected() throws Exception {
        TorrentMetainfo meta = torrent();
        Engine seeder = engines.engine("seeder", new EngineSettings(SLOTS, 500, 4, 10, 2)
                .withPeerLimits(new PeerLimits(2_000, 10, 2, 0, 2)));
        TorrentHandle seeding = seeder.add(meta, AddOptions.in(dir.resolve("seed")));
        seeding.completion().get(30, TimeUnit.SECONDS);
        try (FakePeer dribbler = FakePeer.dial(seeder.listenPort(), meta.infoHash(), meta.pieceCount())) {
            // A byte at a time: every read resets a byte-counting timer, yet it says nothing.
            boolean closed = LoopbackEngines.within(15_000, () -> {
                try {
                    dribbler.send(java.nio.ByteBuffer.allocate(1).put((byte) 0));
                    Thread.sleep(200);
                } catch (IOException e) {
                    return true;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return dribbler.closed;
            });
            assertTrue(closed, "the idle peer was let go");
        }
    }
}
