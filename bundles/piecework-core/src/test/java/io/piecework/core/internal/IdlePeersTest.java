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

/** Connections that hold a slot and give nothing must make room for a peer that wants the data. */
class IdlePeersTest {

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
    void aLeecherGetsInWhileIdleConnectionsHoldEverySlot() throws Exception {
        TorrentMetainfo meta = torrent();
        // As the attack run found it: default settings, sixty connections sending only keep-alives.
        Engine seeder = engines.engine("seeder", EngineSettings.defaults());
        int slots = EngineSettings.defaults().maxPeersPerTorrent();
        TorrentHandle seeding = seeder.add(meta, AddOptions.in(dir.resolve("seed")));
        seeding.completion().get(30, TimeUnit.SECONDS);
        Thread keepAlives = idlers(seeder, meta, 60);
        try {
            assertTrue(LoopbackEngines.within(10_000, () -> seeding.stats().peers() == slots), "idle peers fill the slots");
            Engine leecher = engines.engine("leecher");
            TorrentHandle leeching = leecher.add(meta, AddOptions.in(dir.resolve("down"))
                    .withPeers(List.of(new InetSocketAddress("127.0.0.1", seeder.listenPort()))));
            leeching.completion().get(60, TimeUnit.SECONDS);
            assertEquals(meta.pieceCount(), leeching.stats().piecesVerified());
        } finally {
            keepAlives.interrupt();
            for (FakePeer p : idle) {
                p.close();
            }
        }
    }
}
