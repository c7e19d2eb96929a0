package io.piecework.itests.tracker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.core.internal.Engine;
import io.piecework.itests.support.ScriptProcess;
import io.piecework.metainfo.MagnetLinks;
import io.piecework.metainfo.MetainfoParser;
import io.piecework.storage.file.internal.FileStorageProvider;
import io.piecework.storage.file.internal.Settings;
import io.piecework.strategy.naive.NaiveStrategy;
import io.piecework.tracker.TrackerLimits;
import io.piecework.tracker.internal.TrackerPeerSource;
import io.piecework.tracker.internal.TrackerSettings;
import io.piecework.wire.internal.NettyPeerTransport;
import io.piecework.wire.internal.TransportSettings;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * The whole discovery path: opentracker on loopback, a libtorrent seeder announced to it, and
 * a Piecework engine with the tracker peer source bound that knows only the tracker's URL
 * (a .torrent's announce, or a magnet link's tr) or only the seeder's address (x.pe).
 */
class TrackerDownloadTest {
    private static final int SIZE = 3_000_000 + 777;
    @TempDir
    static Path dir;
    private static byte[] content;
    private static byte[] info;
    private static InfoHash infoHash;
    private static Opentracker tracker;
    private static ScriptProcess seeder;
    private static int seederPort;

    @TempDir
    Path down;

    @BeforeAll
    static void startTrackerAndSeeder() throws Exception {
        assumeTrue(Files.isExecutable(Opentracker.BINARY), "needs Debian's opentracker");
        assumeTrue(Files.isExecutable(Path.of(ScriptProcess.PYTHON)), "needs /usr/bin/python3 with python3-libtorrent");
        Path data = Files.createDirectories(dir.resolve("seed")).resolve("payload.bin");
        content = new byte[SIZE];
        new Random(11).nextBytes(content);
        Files.write(data, content);
        Path torrent = dir.resolve("payload.torrent");
        ScriptProcess.run(60, List.of(ScriptProcess.PYTHON, script(), "create", data.toString(), torrent.toString(), "32768"));
        TorrentMetainfo plain = MetainfoParser.read(torrent);
        info = plain.infoBytes();
        infoHash = plain.infoHash();
        tracker = Opentracker.start(dir, List.of(infoHash));
        seeder = ScriptProcess.start(dir.resolve("ltseeder.log"), List.of(ScriptProcess.PYTHON, script(), "seed",
                torrent.toString(), data.getParent().toString(), tracker.http().toString()));
        seederPort = Integer.parseInt(seeder.await("PORT ", 30).substring(5).trim());
        seeder.await("ANNOUNCED", 30);
    }

    @AfterAll
    static void stop() throws Exception {
        if (seeder != null) {
            seeder.close();
        }
        if (tracker != null) {
            tracker.close();
        }
    }

    private static String script() throws URISyntaxException {
        return Path.of(TrackerDownloadTest.class.getResource("/python/tracker/ltseeder.py").toURI()).toString();
    }

    /** An engine wired as DS wires it, with the tracker peer source bound. */
    private static final class Node implements AutoCloseable {
        final NettyPeerTransport transport;
        final FileStorageProvider storage;
        final TrackerPeerSource source;
        final Engine engine;

        Node(Path state) throws Exception {
            transport = new NettyPeerTransport(TransportSettings.defaults().withListen("127.0.0.1", 0), RoaringBitmap::new);
            storage = new FileStorageProvider(Settings.DEFAULTS.withStateDir(state));
            source = new TrackerPeerSource(new TrackerSettings(50, Duration.ofSeconds(5), 2, Duration.ofSeconds(1), 2,
                    Duration.ofSeconds(60), Duration.ofMinutes(30), Duration.ofSeconds(1), Duration.ofSeconds(1),
                    Duration.ofSeconds(2), TrackerLimits.DEFAULT));
            engine = new Engine(transport);
            engine.useStorage(storage);
            engine.useStrategy(new NaiveStrategy(), "naive");
            engine.addSource(source, "tracker");
        }

        @Override
        public void close() {
            engine.close();
            source.close();
            storage.close();
            transport.close();
        }
    }

    /** A .torrent whose only way to peers is its announce URL. */
    private static TorrentMetainfo withAnnounce(URI url) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] u = url.toString().getBytes(StandardCharsets.UTF_8);
        out.writeBytes(("d8:announce" + u.length + ":").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(u);
        out.writeBytes("4:info".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(info);
        out.write('e');
        return MetainfoParser.parse(out.toByteArray());
    }

    private void downloadsFromTheTrackersSeeder(URI url) throws Exception {
        try (Node node = new Node(down.resolve("state"))) {
            TorrentHandle t = node.engine.add(withAnnounce(url), AddOptions.in(down.resolve("data")));
            t.completion().get(120, TimeUnit.SECONDS);
            assertArrayEquals(content, Files.readAllBytes(down.resolve("data/payload.bin")));
        }
    }

    @Test
    void downloadsWithOnlyAnHttpTrackerToGoOn() throws Exception {
        downloadsFromTheTrackersSeeder(tracker.http());
    }

    @Test
    void downloadsWithOnlyAUdpTrackerToGoOn() throws Exception {
        downloadsFromTheTrackersSeeder(tracker.udp());
    }

    private void magnetDownloads(String link) throws Exception {
        try (Node node = new Node(down.resolve("state"))) {
            TorrentHandle t = node.engine.add(MagnetLinks.parse(link), AddOptions.in(down.resolve("data")));
            t.completion().get(120, TimeUnit.SECONDS);
            assertEquals(infoHash, t.metainfo().infoHash());
            TorrentMetainfo saved = MetainfoParser.read(down.resolve("data/payload.bin.torrent"));
            assertArrayEquals(info, saved.infoBytes(), "the saved .torrent holds the fetched info dictionary");
            assertArrayEquals(content, Files.readAllBytes(down.resolve("data/payload.bin")));
        }
    }

    @Test
    void aMagnetWithOnlyTheTrackerFetchesMetadataFromLibtorrentAndDownloads() throws Exception {
        magnetDownloads("magnet:?xt=urn:btih:" + infoHash.hex() + "&tr=" + tracker.http());
    }

    @Test
    void aMagnetWithOnlyAUdpTrackerFetchesMetadataFromLibtorrentAndDownloads() throws Exception {
        magnetDownloads("magnet:?xt=urn:btih:" + infoHash.hex() + "&tr=" + tracker.udp());
    }

    @Test
    void aMagnetWithOnlyTheSeedersAddressFetchesMetadataFromLibtorrentAndDownloads() throws Exception {
        magnetDownloads("magnet:?xt=urn:btih:" + infoHash.hex() + "&x.pe=127.0.0.1:" + seederPort);
    }

    @Test
    void aMagnetHandleHasNoMetadataUntilItIsFetched() throws Exception {
        try (Node node = new Node(down.resolve("state"))) {
            TorrentHandle t = node.engine.add(MagnetLinks.parse("magnet:?xt=urn:btih:" + infoHash.hex()
                    + "&dn=named"), new AddOptions(down.resolve("data"), true, List.of()));
            assertNull(t.metainfo());
            assertEquals("named", t.stats().name());
            assertEquals(0, t.stats().pieces());
            assertTrue(node.engine.find(infoHash).isPresent());
        }
    }
}
