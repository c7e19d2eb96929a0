package io.piecework.tracker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.TrackerInfo;
import io.piecework.tracker.AnnounceResponse;
import io.piecework.tracker.TrackerException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each tracker's last announce, as the details page lists it ({@code trackerStats}). */
class TrackerResultsTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final TrackerAnnouncementTest.Fake fake = new TrackerAnnouncementTest.Fake();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private final CountDownLatch peersFound = new CountDownLatch(1);

    @Test
    void aFailingTrackerKeepsItsReasonAndTheAnsweringOneItsCounts() throws Exception {
        String hostile = "<script>alert(1)</script> &amp; \u202Etxt.exe";
        fake.trackers.put(URI.create("fake://down"), r -> CompletableFuture.failedFuture(new TrackerException(hostile, false)));
        fake.trackers.put(URI.create("fake://up"), r -> CompletableFuture.completedFuture(new AnnounceResponse(3600, 0, 4, 7,
                List.of(new InetSocketAddress("127.0.0.1", 7000), new InetSocketAddress("127.0.0.1", 7001)), null, null)));
        List<List<String>> tiers = List.of(List.of("fake://down"), List.of("fake://up"), List.of("fake://never"));
        TrackerSettings s = new TrackerSettings(50, Duration.ofSeconds(5), 2, Duration.ofMillis(50), 2,
                Duration.ofSeconds(60), Duration.ofMinutes(30), Duration.ZERO, Duration.ofMinutes(1), Duration.ofSeconds(2),
                io.piecework.tracker.TrackerLimits.DEFAULT);
        TrackerAnnouncement a = new TrackerAnnouncement(new TestTarget(() -> tiers, false, () -> 100L), (p, src) -> peersFound.countDown(),
                u -> fake, scheduler, s, new Random(1), x -> { });
        assertEquals(List.of(TrackerInfo.unannounced("fake://down", 0), TrackerInfo.unannounced("fake://up", 1),
                TrackerInfo.unannounced("fake://never", 2)), a.trackers());
        a.start();
        fake.next();
        fake.next();
        assertTrue(peersFound.await(10, TimeUnit.SECONDS), "the answer reached the sink (booked before it)");
        List<TrackerInfo> t = a.trackers();
        TrackerInfo down = t.get(0);
        assertFalse(down.succeeded());
        assertTrue(down.result().contains("<script>alert(1)</script> &amp; "), down.result());
        assertFalse(down.result().contains("\u202E"), "bidi controls escaped like every tracker text");
        assertTrue(down.lastAnnounceMillis() > 0);
        TrackerInfo up = t.get(1);
        assertTrue(up.succeeded());
        assertEquals("Success", up.result(), "Transmission's word");
        assertEquals(2, up.peers());
        assertEquals(4, up.seeders());
        assertEquals(7, up.leechers());
        assertEquals(1, up.tier());
        assertEquals(TrackerInfo.unannounced("fake://never", 2), t.get(2));
        a.close();
    }
}
