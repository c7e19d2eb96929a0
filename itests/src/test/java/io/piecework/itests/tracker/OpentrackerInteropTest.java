package io.piecework.itests.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.piecework.api.discovery.AnnounceTarget;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.bencode.BDictionary;
import io.piecework.bencode.Bencode;
import io.piecework.itests.support.ScriptProcess;
import io.piecework.tracker.ScrapeStats;
import io.piecework.tracker.TrackerLimits;
import io.piecework.tracker.internal.TrackerAnnouncement;
import io.piecework.tracker.internal.TrackerPeerSource;
import io.piecework.tracker.internal.TrackerSettings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our tracker client against Debian's opentracker over loopback HTTP and UDP, with a
 * libtorrent-rasterbar seeder announced to the same tracker: we must get the seeder's
 * address from the tracker, see it in a scrape, and disappear from the swarm on stopped.
 */
class OpentrackerInteropTest {
    private static final int SIZE = 100_000;
    @TempDir
    static Path dir;
    private static InfoHash infoHash;
    private static Opentracker tracker;
    private static ScriptProcess seeder;
    private static InetSocketAddress seederAddress;
    private TrackerPeerSource source;

    @BeforeAll
    static void startTrackerAndSeeder() throws Exception {
        assumeTrue(Files.isExecutable(Opentracker.BINARY), "needs Debian's opentracker");
        assumeTrue(Files.isExecutable(Path.of(ScriptProcess.PYTHON)), "needs /usr/bin/python3 with python3-libtorrent");
        Path data = Files.createDirectories(dir.resolve("seed")).resolve("data.bin");
        byte[] content = new byte[SIZE];
        new Random(7).nextBytes(content);
        Files.write(data, content);
        Path torrent = dir.resolve("data.torrent");
        ScriptProcess.run(60, List.of(ScriptProcess.PYTHON, script(), "create", data.toString(), torrent.toString(), "16384"));
        infoHash = infoHash(torrent);

        tracker = Opentracker.start(dir, List.of(infoHash));
        seeder = ScriptProcess.start(dir.resolve("ltseeder.log"), List.of(ScriptProcess.PYTHON, script(), "seed",
                torrent.toString(), data.getParent().toString(), tracker.http().toString()));
        int port = Integer.parseInt(seeder.await("PORT ", 30).substring(5).trim());
        // The announce libtorrent makes once it is a seeder.
        seeder.await("ANNOUNCED", 30);
        seederAddress = new InetSocketAddress("127.0.0.1", port);
    }

    @AfterAll
    static void stopTrackerAndSeeder() throws Exception {
        if (seeder != null) {
            seeder.close();
            assertTrue(seeder.drained("TRACKERERROR").isEmpty(), "libtorrent saw tracker errors; see " + seeder.log());
        }
        if (tracker != null) {
            tracker.close();
        }
    }

    private static String script() throws URISyntaxException {
        return Path.of(OpentrackerInteropTest.class.getResource("/python/tracker/ltseeder.py").toURI()).toString();
    }

    private static InfoHash infoHash(Path torrent) throws Exception {
        BDictionary meta = (BDictionary) Bencode.decode(Files.readAllBytes(torrent));
        ByteBuffer raw = meta.dictionary("info").orElseThrow().raw();
        byte[] info = new byte[raw.remaining()];
        raw.get(info);
        return InfoHash.of(MessageDigest.getInstance("SHA-1").digest(info));
    }

    @BeforeEach
    void startSource() throws Exception {
        // Small UDP retransmission base so a dead tracker fails over within a second.
        source = new TrackerPeerSource(new TrackerSettings(50, Duration.ofSeconds(5), 2, Duration.ofMillis(100), 2,
                Duration.ofSeconds(60), Duration.ofMinutes(30), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(5), TrackerLimits.DEFAULT));
    }

    @AfterEach
    void stopSource() {
        source.close();
    }

    /** A leecher that wants everything: opentracker counts it as incomplete. */
    private static AnnounceTarget leecher(List<List<String>> tiers, int port) {
        byte[] peerId = new byte[20];
        new Random(port).nextBytes(peerId);
        System.arraycopy("-PW0100-".getBytes(), 0, peerId, 0, 8);
        return new AnnounceTarget() {
            public InfoHash infoHash() {
                return infoHash;
            }

            public byte[] peerId() {
                return peerId.clone();
            }

            public List<List<String>> trackerTiers() {
                return tiers;
            }

            public boolean isPrivate() {
                return false;
            }

            public int port() {
                return port;
            }

            public long uploaded() {
                return 0;
            }

            public long downloaded() {
                return 0;
            }

            public long left() {
                return SIZE;
            }
        };
    }

    private record Found(List<InetSocketAddress> peers, String source) {
    }

    private ScrapeStats scrape(URI uri) throws Exception {
        ScrapeStats s = source.scrape(uri, List.of(infoHash)).get(10, TimeUnit.SECONDS).get(infoHash);
        assertTrue(s != null, "scrape of " + uri + " lists the torrent");
        return s;
    }

    /** Announces, expects the seeder among the peers, checks the scrape, stops, checks we are gone. */
    private void announceFindSeederScrapeAndStop(URI announceUri, URI scrapeUri, int ourPort, List<List<String>> tiers)
            throws Exception {
        ScrapeStats before = scrape(scrapeUri);
        assertTrue(before.seeders() >= 1, "the libtorrent seeder is counted: " + before);

        BlockingQueue<Found> found = new LinkedBlockingQueue<>();
        var announcement = source.announce(leecher(tiers, ourPort), (peers, from) -> found.add(new Found(peers, from)));
        Found first = found.poll(20, TimeUnit.SECONDS);
        assertTrue(first != null, "no peers from " + announceUri + "; status: " + announcement.status());
        assertEquals(announceUri.toString(), first.source());
        assertTrue(first.peers().contains(seederAddress), first.peers() + " lacks the seeder " + seederAddress);
        assertTrue(announcement.status().startsWith(announceUri.toString()), announcement.status());

        ScrapeStats during = scrape(scrapeUri);
        assertEquals(before.leechers() + 1, during.leechers(), "we are counted as a leecher: " + during);

        announcement.close();
        ((TrackerAnnouncement) announcement).stopped().get(10, TimeUnit.SECONDS);
        ScrapeStats after = scrape(scrapeUri);
        assertEquals(before.leechers(), after.leechers(), "stopped removed us: " + after);
        assertEquals(before.seeders(), after.seeders());
    }

    @Test
    void httpAnnounceFindsTheLibtorrentSeederAndStoppedRemovesUs() throws Exception {
        announceFindSeederScrapeAndStop(tracker.http(), tracker.http(), 40001, List.of(List.of(tracker.http().toString())));
    }

    @Test
    void udpAnnounceFindsTheLibtorrentSeederAndStoppedRemovesUs() throws Exception {
        announceFindSeederScrapeAndStop(tracker.udp(), tracker.udp(), 40002, List.of(List.of(tracker.udp().toString())));
    }

    @Test
    void failsOverFromADeadFirstTierToOpentracker() throws Exception {
        List<List<String>> tiers = new ArrayList<>();
        tiers.add(List.of("udp://127.0.0.1:9/announce", "http://127.0.0.1:9/announce"));
        tiers.add(List.of(tracker.udp().toString()));
        announceFindSeederScrapeAndStop(tracker.udp(), tracker.http(), 40003, tiers);
    }
}
