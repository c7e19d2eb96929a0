package io.piecework.itests.interop;

import static io.piecework.itests.interop.SeededPayload.loopback;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.RateLimits;
import io.piecework.api.engine.TorrentHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Download limits against a libtorrent seeder: 6 MiB at 1 MiB/s must take about 6 s, where
 * loopback alone moves it in well under a second. Wide bounds (shaping is approximate and the
 * machine is shared): the achieved rate must stay under twice the limit, i.e. the download
 * takes more than half the limited time. benchmarks/ratelimit.sh measures how close it holds.
 */
class RateLimitInteropTest {
    static final long MIB = 1 << 20;
    static final long SIZE = 6 * MIB;
    static final long LIMIT = MIB;

    @TempDir
    static Path shared;
    static SeededPayload payload;

    @TempDir
    Path dir;

    @BeforeAll
    static void makePayload() throws Exception {
        payload = SeededPayload.create(shared, 256 * 1024, root -> Payloads.file(root.resolve("limited.bin"), SIZE, 21));
    }

    /** Seconds from start to completion; the limits are set while the torrent is stopped, before any byte. */
    private double download(InProcessEngine leecher, RateLimits torrentLimits) throws Exception {
        try (LibtorrentNode seeder = payload.libtorrentSeed()) {
            TorrentHandle t = leecher.engine.add(payload.meta(), new AddOptions(dir.resolve("down"), true,
                    List.of(loopback(seeder.port))));
            t.rateLimits(torrentLimits);
            long start = System.nanoTime();
            t.start();
            t.completion().get(120, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            payload.assertSameFiles(dir.resolve("down"));
            return seconds;
        }
    }

    private static void assertLimited(double seconds) {
        double rate = SIZE / seconds;
        assertTrue(rate < 2 * LIMIT, String.format("%.1f MiB/s against a limit of %d MiB/s (%.2f s for 6 MiB)",
                rate / MIB, LIMIT / MIB, seconds));
    }

    @Test
    void aTorrentsDownloadLimitHolds() throws Exception {
        try (InProcessEngine leecher = new InProcessEngine(dir.resolve("state"))) {
            assertLimited(download(leecher, new RateLimits(LIMIT, 0)));
        }
    }

    @Test
    void theEnginesDownloadLimitHolds() throws Exception {
        try (InProcessEngine leecher = new InProcessEngine(dir.resolve("state"))) {
            leecher.limitRates(LIMIT, 0);
            assertLimited(download(leecher, RateLimits.UNLIMITED));
        }
    }
}
