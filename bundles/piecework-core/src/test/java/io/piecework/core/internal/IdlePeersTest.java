package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.TorrentMetainfo;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
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

    @Test
    void aLeecherGetsInWhileIdleConnectionsHoldEverySlot() throws Exception {
        TorrentMetainfo meta = IdleCrowd.torrent(dir);
        // As the attack run found it: default settings, sixty connections sending only keep-alives.
        Engine seeder = engines.engine("seeder", EngineSettings.defaults());
        int slots = EngineSettings.defaults().maxPeersPerTorrent();
        TorrentHandle seeding = seeder.add(meta, AddOptions.in(dir.resolve("seed")));
        seeding.completion().get(30, TimeUnit.SECONDS);
        try (IdleCrowd crowd = new IdleCrowd(seeder, meta, 60)) {
            assertTrue(LoopbackEngines.within(10_000, () -> seeding.stats().peers() == slots), "idle peers fill the slots");
            Engine leecher = engines.engine("leecher");
            TorrentHandle leeching = leecher.add(meta, AddOptions.in(dir.resolve("down"))
                    .withPeers(List.of(new InetSocketAddress("127.0.0.1", seeder.listenPort()))));
            leeching.completion().get(60, TimeUnit.SECONDS);
            assertEquals(meta.pieceCount(), leeching.stats().piecesVerified());
        }
    }
}
