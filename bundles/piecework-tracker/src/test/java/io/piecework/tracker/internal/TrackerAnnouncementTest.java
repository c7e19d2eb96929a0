package io.piecework.tracker.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.discovery.AnnounceTarget;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.tracker.AnnounceRequest;
import io.piecework.tracker.AnnounceResponse;
import io.piecework.tracker.ScrapeStats;
import io.piecework.tracker.TrackerEvent;
import io.piecework.tracker.TrackerException;
import io.piecework.tracker.TrackerLimits;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** BEP 12 and the announce schedule, with scripted trackers in place of the network. */
class TrackerAnnouncementTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 7000);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Fake fake = new Fake();
    private final BlockingQueue<List<InetSocketAddress>> found = new LinkedBlockingQueue<>();
    private volatile List<List<String>> tiers;
    private volatile long left = 100;

    record Call(URI uri, AnnounceRequest request) {
    }

    /** Trackers by URL: each answers with the function's result; unknown URLs fail. */
    static final class Fake implements TrackerClient {
        final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
        final Map<URI, Function<AnnounceRequest, CompletableFuture<AnnounceResponse>>> trackers = new ConcurrentHashMap<>();

        @Override
        public CompletableFuture<AnnounceResponse> announce(URI tracker, AnnounceRequest request) {
            calls.add(new Call(tracker, request));
            var f = trackers.get(tracker);
            return f == null ? CompletableFuture.failedFuture(new TrackerException("down", false)) : f.apply(request);
        }

        @Override
        public CompletableFuture<Map<InfoHash, ScrapeStats>> scrape(URI tracker, List<InfoHash> hashes) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }

        Call next() throws InterruptedException {
            Call c = calls.poll(10, TimeUnit.SECONDS);
            assertTrue(c != null, "no announce within 10 s");
            return c;
        }

        void answers(String uri, int interval, int minInterval, byte[] trackerId) {
            trackers.put(URI.create(uri), r -> CompletableFuture.completedFuture(
                    new AnnounceResponse(interval, minInterval, 1, 2, List.of(PEER), null, trackerId)));
        }
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private TrackerAnnouncement start(Duration retry) {
        TrackerSettings s = new TrackerSettings(50, Duration.ofSeconds(5), 2, Duration.ofMillis(50), 2,
                Duration.ofSeconds(60), Duration.ofMinutes(30), Duration.ZERO, retry, Duration.ofSeconds(2),
                TrackerLimits.DEFAULT);
        TrackerAnnouncement a = new TrackerAnnouncement(target(), (peers, source) -> found.add(peers),
                u -> u.getScheme().equals("fake") ? fake : null, scheduler, s, new Random(1), x -> { });
        a.start();
        return a;
    }

    private AnnounceTarget target() {
        return new TestTarget(() -> tiers, false, () -> left);
    }

    private List<URI> round(int calls) throws InterruptedException {
        List<URI> order = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            order.add(fake.next().uri());
        }
        return order;
    }

    @Test
    void triesTiersInOrderAndEveryTrackerOfATierBeforeTheNext() throws Exception {
        tiers = List.of(List.of("fake://a", "fake://b"), List.of("fake://c"), List.of("fake://d"));
        fake.answers("fake://c", 3600, 0, null);
        TrackerAnnouncement a = start(Duration.ofMinutes(1));
        List<URI> first = round(3);
        assertEquals(Set.of(URI.create("fake://a"), URI.create("fake://b")), new HashSet<>(first.subList(0, 2)));
        assertEquals(URI.create("fake://c"), first.get(2));
        assertEquals(List.of(PEER), found.poll(10, TimeUnit.SECONDS));
        assertTrue(a.status().startsWith("fake://c: 1 peers"), a.status());
        assertTrue(a.status().contains("next in 3600 s"), a.status());
        a.close();
    }

    @Test
    void promotesTheTrackerThatAnsweredToTheFrontOfItsTier() throws Exception {
        tiers = List.of(List.of("fake://a", "fake://b", "fake://c", "fake://d", "fake://e"));
        fake.answers("fake://d", 3600, 0, null);
        TrackerAnnouncement a = start(Duration.ofMinutes(1));
        List<URI> order = new ArrayList<>();
        do {
            order.add(fake.next().uri());
        } while (!order.get(order.size() - 1).equals(URI.create("fake://d")));
        found.poll(10, TimeUnit.SECONDS);
        a.announceNow();
        assertEquals(URI.create("fake://d"), fake.next().uri(), "the tracker that answered is asked first");
        a.close();
    }

    @Test
    void sendsStartedThenNothingThenCompletedAndStoppedWithTheTrackerIdAndKey() throws Exception {
        tiers = List.of(List.of("fake://a"));
        fake.answers("fake://a", 3600, 0, "tid".getBytes());
        TrackerAnnouncement a = start(Duration.ofMinutes(1));
        Call started = fake.next();
        assertEquals(TrackerEvent.STARTED, started.request().event());
        assertNull(started.request().trackerId());
        assertEquals(50, started.request().numWant());
        found.poll(10, TimeUnit.SECONDS);

        a.announceNow();
        Call regular = fake.next();
        assertEquals(TrackerEvent.NONE, regular.request().event());
        assertArrayEquals("tid".getBytes(), regular.request().trackerId());
        assertEquals(started.request().key(), regular.request().key());
        found.poll(10, TimeUnit.SECONDS);

        left = 0;
        a.completed();
        assertEquals(TrackerEvent.COMPLETED, fake.next().request().event());
        found.poll(10, TimeUnit.SECONDS);

        a.close();
        Call stopped = fake.next();
        assertEquals(TrackerEvent.STOPPED, stopped.request().event());
        assertEquals(0, stopped.request().numWant());
        a.stopped().get(10, TimeUnit.SECONDS);
        assertEquals("stopped", a.status());
    }

    @Test
    void surfacesTheTrackersWarningInTheStatus() throws Exception {
        tiers = List.of(List.of("fake://a"));
        fake.trackers.put(URI.create("fake://a"), r -> CompletableFuture.completedFuture(
                new AnnounceResponse(3600, 0, 1, 2, List.of(PEER), "upgrade your client", null)));
        TrackerAnnouncement a = start(Duration.ofMinutes(1));
        fake.next();
        found.poll(10, TimeUnit.SECONDS);
        assertTrue(a.status().endsWith("warning: upgrade your client"), a.status());
        a.close();
    }

    @Test
    void retriesWhenEveryTrackerFailedAndReportsTheError() throws Exception {
        tiers = List.of(List.of("fake://a"), List.of("other://x"));
        TrackerAnnouncement a = start(Duration.ofMillis(20));
        assertEquals(URI.create("fake://a"), fake.next().uri());
        assertEquals(URI.create("fake://a"), fake.next().uri(), "a second round after the retry interval");
        assertTrue(a.status().startsWith("no tracker answered"), a.status());
        a.close();
        a.stopped().get(10, TimeUnit.SECONDS);
        assertTrue(fake.calls.stream().noneMatch(c -> c.request().event() == TrackerEvent.STOPPED),
                "no tracker knew us: no stopped to send");
    }

    @Test
    void aTrackerAnsweringAfterCloseIsToldWeStopped() throws Exception {
        tiers = List.of(List.of("fake://a"));
        CompletableFuture<AnnounceResponse> held = new CompletableFuture<>();
        fake.trackers.put(URI.create("fake://a"), r -> r.event() == TrackerEvent.STOPPED
                ? CompletableFuture.completedFuture(new AnnounceResponse(0, 0, 0, 0, List.of(), null, null)) : held);
        TrackerAnnouncement a = start(Duration.ofMinutes(1));
        assertEquals(TrackerEvent.STARTED, fake.next().request().event());
        a.close();
        held.complete(new AnnounceResponse(3600, 0, 1, 0, List.of(PEER), null, null));
        assertEquals(TrackerEvent.STOPPED, fake.next().request().event());
        a.stopped().get(10, TimeUnit.SECONDS);
        assertNull(found.poll(), "no peers are delivered after close");
    }

    @Test
    void picksUpTrackersAddedToTheTargetLater() throws Exception {
        tiers = List.of();
        TrackerAnnouncement a = start(Duration.ofMillis(20));
        fake.answers("fake://late", 3600, 0, null);
        tiers = List.of(List.of("fake://late"));
        assertEquals(URI.create("fake://late"), fake.next().uri());
        assertEquals(List.of(PEER), found.poll(10, TimeUnit.SECONDS));
        a.close();
    }

    @Test
    void aThrowingSinkDoesNotStopAnnouncing() throws Exception {
        tiers = List.of(List.of("fake://a"));
        fake.answers("fake://a", 3600, 0, null);
        TrackerSettings s = new TrackerSettings(50, Duration.ofSeconds(5), 2, Duration.ofMillis(50), 2,
                Duration.ofSeconds(60), Duration.ofMinutes(30), Duration.ZERO, Duration.ofMillis(20),
                Duration.ofSeconds(2), TrackerLimits.DEFAULT);
        TrackerAnnouncement a = new TrackerAnnouncement(target(), (peers, source) -> {
            throw new IllegalStateException("engine bug");
        }, u -> fake, scheduler, s, new Random(1), x -> { });
        a.start();
        fake.next();
        a.announceNow();
        assertEquals(TrackerEvent.NONE, fake.next().request().event());
        a.close();
    }
}
