package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.TorrentCreator;
import io.piecework.wire.PexMessage;
import java.net.InetAddress;
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

/** One connection floods a seeder with made-up peers over ut_pex; a genuine leecher must still get the data. */
class PexFloodTest {
    private static final int MESSAGES = 2_000;

    @TempDir
    Path dir;
    @RegisterExtension
    final LoopbackEngines engines = new LoopbackEngines(() -> dir);

    @Test
    void aPexFloodAddsAtMostOneMessageOfPeersAndALeecherStillCompletes() throws Exception {
        Path data = dir.resolve("seed/data.bin");
        byte[] b = new byte[1_000_000];
        new Random(7).nextBytes(b);
        Files.createDirectories(data.getParent());
        Files.write(data, b);
        TorrentMetainfo meta = TorrentCreator.create(new CreateRequest(data, 32 * 1024, List.of(), List.of(), false,
                null, 1), CreateProgress.NONE);
        Engine seeder = engines.engine("seeder");
        TorrentHandle seeding = seeder.add(meta, AddOptions.in(dir.resolve("seed")));
        seeding.completion().get(30, TimeUnit.SECONDS);
        Torrent torrent = (Torrent) seeding;

        try (FakePeer flooder = FakePeer.dial(seeder.listenPort(), meta.infoHash(), meta.pieceCount())) {
            flooder.extendedHandshake();
            for (int m = 0; m < MESSAGES; m++) {
                flooder.pex(madeUp(m));
            }
            // Unchecked, every message adds 50 more addresses to dial: 100,000 in all.
            assertFalse(LoopbackEngines.within(5_000, () -> torrent.connector.known().size() > 100),
                    "known peers: " + torrent.connector.known().size());

            Engine leecher = engines.engine("leecher");
            TorrentHandle leeching = leecher.add(meta, AddOptions.in(dir.resolve("down"))
                    .withPeers(List.of(new InetSocketAddress("127.0.0.1", seeder.listenPort()))));
            leeching.completion().get(60, TimeUnit.SECONDS);
            assertEquals(meta.pieceCount(), leeching.stats().piecesVerified());
        }
        assertTrue(torrent.connector.known().size() <= 100);
    }

    /** Fifty addresses in TEST-NET-1 (RFC 5737), which nothing answers, different in every message. */
    private static PexMessage madeUp(int message) throws Exception {
        List<InetSocketAddress> added = new ArrayList<>();
        byte[] flags = new byte[50];
        for (int i = 0; i < 50; i++) {
            int n = message * 50 + i;
            added.add(new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) (1 + n % 250)}),
                    1024 + n / 250));
            flags[i] = (byte) PexMessage.FLAG_CONNECTABLE;
        }
        return new PexMessage(added, flags, List.of(), List.of(), new byte[0], List.of());
    }
}
