package io.piecework.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.TorrentVersion;
import io.piecework.itests.support.Conditions;
import io.piecework.itests.tracker.Opentracker;
import io.piecework.metainfo.TorrentCreator;
import io.piecework.tracker.ScrapeStats;
import io.piecework.tracker.TrackerLimits;
import io.piecework.tracker.internal.TrackerPeerSource;
import io.piecework.tracker.internal.TrackerSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hybrid torrent is in both swarms at the tracker (BEP 52): a Piecework seeder announces its v1
 * hash and its truncated v2 hash to opentracker, and a libtorrent 2.0.8 that knows the torrent
 * only by a btmh magnet (the v2 hash and the tracker, nothing else) finds the seeder there,
 * connects with the v2 hash, fetches the metadata and the piece layers, and downloads.
 */
class HybridTrackerInteropTest {
    private static final long MIB = 1 << 20;
    @TempDir
    Path dir;

    @Test
    void aLibtorrentThatKnowsOnlyTheV2HashFindsAHybridSeederAtTheTrackerAndDownloads() throws Exception {
        assumeTrue(Files.isExecutable(Opentracker.BINARY), "needs Debian's opentracker");
        Path root = dir.resolve("seed/payload");
        Payloads.file(root.resolve("a.bin"), 2 * MIB + 4_321, 31); // off the piece boundary: a pad in v1
        Payloads.file(root.resolve("b/c.bin"), 700_001, 32);
        TorrentMetainfo bare = hybrid(root, List.of());
        InfoHash v1 = bare.infoHash();
        InfoHash v2 = bare.infoHashV2().orElseThrow().truncated();
        // Closed in reverse: the engine (its stopped announces) before the source, the tracker last.
        try (Opentracker tracker = Opentracker.start(dir, List.of(v1, v2));
             TrackerPeerSource trackers = new TrackerPeerSource(settings());
             InProcessEngine seeder = new InProcessEngine(dir.resolve("state"))) {
            seeder.engine.addSource(trackers, "tracker");
            TorrentMetainfo meta = hybrid(root, List.of(tracker.http().toString()));
            assertEquals(v1, meta.infoHash(), "the announce URL is outside the info dictionary");
            seeder.engine.add(meta, AddOptions.in(dir.resolve("seed"))).completion().get(60, TimeUnit.SECONDS);

            Conditions.await(60_000, () -> seeding(trackers, tracker.http(), v1, v2),
                    "opentracker counts the seeder in the v1 and the v2 swarm");

            Path node = Libtorrent.script("lt_node.py", dir);
            String magnet = "magnet:?xt=urn:btmh:1220" + bare.infoHashV2().orElseThrow().hex() + "&tr=" + tracker.http();
            try (LibtorrentNode leecher = new LibtorrentNode(node, "leech", magnet, dir.resolve("lt"))) {
                leecher.await("DONE", 240);
            }
        }
        for (String file : List.of("a.bin", "b/c.bin")) {
            assertEquals(-1L, Files.mismatch(root.resolve(file), dir.resolve("lt/payload").resolve(file)), file);
        }
    }

    /** Whether a scrape counts a seeder under both hashes. */
    private static boolean seeding(TrackerPeerSource trackers, URI url, InfoHash v1, InfoHash v2) {
        try {
            Map<InfoHash, ScrapeStats> stats = trackers.scrape(url, List.of(v1, v2)).get(10, TimeUnit.SECONDS);
            return stats.containsKey(v1) && stats.get(v1).seeders() >= 1
                    && stats.containsKey(v2) && stats.get(v2).seeders() >= 1;
        } catch (Exception notYet) {
            return false;
        }
    }

    private static TorrentMetainfo hybrid(Path root, List<String> trackers) throws Exception {
        return TorrentCreator.create(new CreateRequest(root, 64 * 1024, trackers, List.of(), false, null, 1,
                TorrentVersion.HYBRID), CreateProgress.NONE);
    }

    /** Announces at once and again after 1 s at the least, so the test waits on the tracker, not a timer. */
    private static TrackerSettings settings() {
        return new TrackerSettings(50, Duration.ofSeconds(5), 2, Duration.ofSeconds(1), 2, Duration.ofSeconds(60),
                Duration.ofMinutes(30), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2),
                TrackerLimits.DEFAULT);
    }
}
