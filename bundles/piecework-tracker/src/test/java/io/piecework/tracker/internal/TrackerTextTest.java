package io.piecework.tracker.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.discovery.AnnounceTarget;
import io.piecework.tracker.AnnounceResponse;
import io.piecework.tracker.TrackerException;
import io.piecework.tracker.TrackerLimits;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A tracker's warning and failure texts come from the network: the status shows them escaped. */
class TrackerTextTest {
    private static final String HOSTILE = "slow\u001b]0;owned\u0007\u001b[2J\u202e";
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final TrackerAnnouncementTest.Fake fake = new TrackerAnnouncementTest.Fake();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private TrackerAnnouncement start(String url) {
        TrackerSettings s = new TrackerSettings(50, Duration.ofSeconds(5), 2, Duration.ofMillis(50), 2,
                Duration.ofSeconds(60), Duration.ofMinutes(30), Duration.ZERO, Duration.ofMinutes(1),
                Duration.ofSeconds(2), TrackerLimits.DEFAULT);
        AnnounceTarget target = new TestTarget(() -> List.of(List.of(url)), false, () -> 100L);
        TrackerAnnouncement a = new TrackerAnnouncement(target, (peers, source) -> { },
                u -> u.getScheme().equals("fake") ? fake : null, scheduler, s, new Random(1), x -> { });
        a.start();
        return a;
    }

    private static void assertPrintable(String status) {
        status.codePoints().forEach(c -> assertTrue(c >= 0x20 && c != 0x7f && c != 0x202e,
                "U+" + Integer.toHexString(c) + " in " + status));
    }

    @Test
    void aWarningMessageIsEscapedInTheStatus() throws Exception {
        fake.trackers.put(URI.create("fake://t"), r -> CompletableFuture.completedFuture(new AnnounceResponse(
                3600, 0, 1, 2, List.of(new InetSocketAddress("127.0.0.1", 7000)), HOSTILE, null)));
        TrackerAnnouncement a = start("fake://t");
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> a.status().contains("warning"));
        assertPrintable(a.status());
        assertTrue(a.status().endsWith("warning: slow\\u001b]0;owned\\u0007\\u001b[2J\\u202e"), a.status());
        a.close();
    }

    @Test
    void aFailureReasonIsEscapedInTheStatus() throws Exception {
        fake.trackers.put(URI.create("fake://t"),
                r -> CompletableFuture.failedFuture(new TrackerException(HOSTILE, true)));
        TrackerAnnouncement a = start("fake://t");
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> a.status().startsWith("no tracker answered"));
        assertPrintable(a.status());
        assertTrue(a.status().contains("slow\\u001b]0;owned"), a.status());
        a.close();
    }
}
