package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.Priority;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.MagnetLink;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.MagnetLinks;
import io.piecework.metainfo.MetainfoParser;
import io.piecework.metainfo.TorrentCreator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A magnet link between two engines on loopback: metadata served by one, fetched by the other. */
class MagnetLoopbackTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final LoopbackEngines engines = new LoopbackEngines(() -> dir);

    @Test
    void aMagnetThatTurnsOutPrivateLeavesTheDhtWhenItsMetadataArrives() throws Exception {
        Path data = dir.resolve("seed/secret.bin");
        Files.createDirectories(data.getParent());
        Files.write(data, new byte[200_000]);
        TorrentMetainfo meta = TorrentCreator.create(new CreateRequest(data, 16 * 1024,
                List.of("http://127.0.0.1:1/announce"), List.of(), true, null, 1), CreateProgress.NONE);
        Engine seeder = engines.engine("seeder");
        seeder.add(meta, AddOptions.in(dir.resolve("seed"))).completion().get(30, TimeUnit.SECONDS);
        Engine leecher = engines.engine("leecher");
        DiscoveryTest.FakeSource dht = new DiscoveryTest.FakeSource();
        DiscoveryTest.FakeSource tracker = new DiscoveryTest.FakeSource();
        leecher.addSource(dht, Discovery.DHT);
        leecher.addSource(tracker, "tracker");
        TorrentHandle t = leecher.add(MagnetLinks.parse("magnet:?xt=urn:btih:" + meta.infoHash().hex()
                + "&tr=http%3A%2F%2F127.0.0.1%3A2%2Fannounce"), AddOptions.in(dir.resolve("down")));
        DiscoveryTest.FakeAnnouncement onDht = dht.next();
        DiscoveryTest.FakeAnnouncement onTracker = tracker.next();
        assertEquals(List.of(List.of("http://127.0.0.1:2/announce")), onTracker.target.trackerTiers());
        assertEquals(LiveTarget.UNKNOWN_LEFT, onTracker.target.left());
        // Peers found by a source go to the magnet's connector.
        onDht.sink.found(List.of(new java.net.InetSocketAddress("127.0.0.1", seeder.listenPort())), "dht");
        t.completion().get(60, TimeUnit.SECONDS);
        assertEquals(true, onDht.closed.await(10, TimeUnit.SECONDS), "the DHT lets go of a private torrent");
        assertEquals(1, onTracker.closed.getCount(), "the tracker keeps announcing it");
        assertEquals(true, onTracker.target.isPrivate());
        // The info dictionary carries no trackers: the link's stay, also in the saved .torrent.
        assertEquals(List.of(List.of("http://127.0.0.1:2/announce")), onTracker.target.trackerTiers());
        assertEquals(List.of(List.of("http://127.0.0.1:2/announce")),
                MetainfoParser.read(dir.resolve("down/secret.bin.torrent")).trackerTiers());
        assertEquals(true, onTracker.completed.await(10, TimeUnit.SECONDS));
    }

    @Test
    void selectOnlyInTheLinkSkipsTheOtherFiles() throws Exception {
        Path root = dir.resolve("seed/pair");
        byte[] wanted = new byte[300_000];
        new Random(6).nextBytes(wanted);
        Files.createDirectories(root);
        Files.write(root.resolve("a.bin"), wanted);
        Files.write(root.resolve("b.bin"), new byte[5_000_000]);
        TorrentMetainfo meta = TorrentCreator.create(new CreateRequest(root, 16 * 1024, List.of(), List.of(),
                false, null, 1), CreateProgress.NONE);
        Engine seeder = engines.engine("seeder");
        seeder.add(meta, AddOptions.in(dir.resolve("seed"))).completion().get(30, TimeUnit.SECONDS);
        Engine leecher = engines.engine("leecher");
        TorrentHandle t = leecher.add(MagnetLinks.parse("magnet:?xt=urn:btih:" + meta.infoHash().hex()
                + "&so=0&x.pe=127.0.0.1:" + seeder.listenPort()), AddOptions.in(dir.resolve("down")));
        t.completion().get(60, TimeUnit.SECONDS);
        assertArrayEquals(wanted, Files.readAllBytes(dir.resolve("down/pair/a.bin")));
        long wantedBytes = t.stats().wantedBytes();
        assertEquals(true, wantedBytes < 400_000, "only a.bin's pieces were wanted: " + wantedBytes);
    }

    @Test
    void aMagnetWithOnlyAPeerFetchesTheMetadataSavesTheTorrentAndDownloads() throws Exception {
        // Many files make an info dictionary of several 16 KiB metadata pieces.
        Path root = dir.resolve("seed/album");
        Random random = new Random(5);
        for (int i = 0; i < 1000; i++) {
            byte[] b = new byte[1000 + random.nextInt(3000)];
            random.nextBytes(b);
            Path f = root.resolve("disc-" + (i / 100) + "/track-with-a-long-name-" + i + ".bin");
            Files.createDirectories(f.getParent());
            Files.write(f, b);
        }
        TorrentMetainfo meta = TorrentCreator.create(new CreateRequest(root, 16 * 1024, List.of(), List.of(),
                false, null, 1), CreateProgress.NONE);
        assertEquals(true, meta.infoBytes().length > 2 * 16 * 1024, "several metadata pieces");
        Engine seeder = engines.engine("seeder");
        seeder.add(meta, AddOptions.in(dir.resolve("seed"))).completion().get(30, TimeUnit.SECONDS);

        Engine leecher = engines.engine("leecher");
        MagnetLink magnet = MagnetLinks.parse("magnet:?xt=urn:btih:" + meta.infoHash().hex()
                + "&dn=the+album&x.pe=127.0.0.1:" + seeder.listenPort());
        TorrentHandle t = leecher.add(magnet, new AddOptions(dir.resolve("down"), true, List.of()));
        assertNull(t.metainfo(), "no metadata before it is fetched");
        TorrentStats before = t.stats();
        assertEquals("the album", before.name());
        assertEquals(0, before.pieces());
        assertThrows(IllegalStateException.class, () -> t.filePriority(0, Priority.HIGH));
        assertSame(t, leecher.find(meta.infoHash()).orElseThrow());

        t.start();
        t.completion().get(60, TimeUnit.SECONDS);
        assertEquals(meta.infoHash(), t.metainfo().infoHash());
        assertEquals(meta.pieceCount(), t.stats().pieces());
        TorrentMetainfo saved = MetainfoParser.read(dir.resolve("down/album.torrent"));
        assertArrayEquals(meta.infoBytes(), saved.infoBytes());
        try (var files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(dir.resolve("down/album")
                        .resolve(root.relativize(f))), f.toString());
            }
        }
    }
}
