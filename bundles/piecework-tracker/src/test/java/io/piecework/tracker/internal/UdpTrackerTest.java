package io.piecework.tracker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.tracker.AnnounceResponse;
import io.piecework.tracker.ScrapeStats;
import io.piecework.tracker.TrackerException;
import io.piecework.tracker.TrackerLimits;
import io.piecework.tracker.UdpTrackerCodec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UdpTrackerTest {
    private static final byte[] PEER = {127, 0, 0, 1, 0x1a, (byte) 0xe1};
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService blocking = Executors.newFixedThreadPool(2);
    private UdpTracker client;
    private FakeUdpTracker tracker;

    private UdpTracker client(int maxRetransmits, Duration connectionTtl) throws Exception {
        // Long enough that a loaded machine answers within one timeout, so sequences are exact.
        return client(maxRetransmits, connectionTtl, Duration.ofMillis(200));
    }

    private UdpTracker client(int maxRetransmits, Duration connectionTtl, Duration base) throws Exception {
        TrackerSettings s = new TrackerSettings(50, Duration.ofSeconds(5), 2, base, maxRetransmits,
                connectionTtl, Duration.ofMinutes(30), Duration.ZERO, Duration.ofMillis(100), Duration.ofSeconds(2),
                new TrackerLimits(1024, 10, 64));
        client = new UdpTracker(s, scheduler, blocking);
        return client;
    }

    @AfterEach
    void close() throws Exception {
        if (client != null) {
            client.close();
        }
        if (tracker != null) {
            tracker.close();
        }
        scheduler.shutdownNow();
        blocking.shutdownNow();
    }

    private static Throwable failure(CompletableFuture<?> f) {
        return assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS)).getCause();
    }

    @Test
    void connectsOnceThenAnnouncesWithTheConnectionIdAndReusesIt() throws Exception {
        tracker = new FakeUdpTracker(InetAddress.getLoopbackAddress(), FakeUdpTracker.sane(PEER));
        client(3, Duration.ofSeconds(60));
        AnnounceResponse r = client.announce(tracker.uri(), HttpTrackerTest.request()).get(10, TimeUnit.SECONDS);
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 6881)), r.peers());
        assertEquals(1800, r.interval());
        client.announce(tracker.uri(), HttpTrackerTest.request()).get(10, TimeUnit.SECONDS);
        assertEquals(1, tracker.count(0));
        assertEquals(2, tracker.count(1));
        FakeUdpTracker.Request connect = tracker.requests.get(0);
        assertEquals(UdpTrackerCodec.PROTOCOL_ID, connect.connectionId());
        assertTrue(tracker.requests.stream().filter(q -> q.action() == 1).allMatch(q -> q.connectionId() == 7));
        assertEquals(0, client.pendingCount());
    }

    @Test
    void socketBoundToLoopbackStillReachesALoopbackTracker() throws Exception {
        tracker = new FakeUdpTracker(InetAddress.getByName("127.0.0.1"), FakeUdpTracker.sane(PEER));
        client = new UdpTracker(TrackerSettings.DEFAULT.withBindAddress("127.0.0.1"), scheduler, blocking);
        assertEquals(InetAddress.getByName("127.0.0.1"), client.localAddress().getAddress());
        AnnounceResponse r = client.announce(tracker.uri(), HttpTrackerTest.request()).get(10, TimeUnit.SECONDS);
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 6881)), r.peers());
        assertEquals(new InetSocketAddress("127.0.0.1", client.port()), tracker.requests.get(0).from());
    }

    @Test
    void retransmitsLostPacketsUnderFreshTransactionIds() throws Exception {
        // Drops the first connect and the first announce.
        tracker = new FakeUdpTracker(InetAddress.getLoopbackAddress(), (q, n) -> n == 0 || n == 2 ? List.of()
                : FakeUdpTracker.sane(PEER).reply(q, n));
        client(3, Duration.ofSeconds(60));
        client.announce(tracker.uri(), HttpTrackerTest.request()).get(10, TimeUnit.SECONDS);
        assertEquals(List.of(0, 0, 1, 1), tracker.requests.stream().map(FakeUdpTracker.Request::action).toList());
        assertEquals(4, tracker.requests.stream().mapToInt(FakeUdpTracker.Request::transactionId).distinct().count());
    }

    @Test
    void ignoresRepliesWithTheWrongTransactionIdOrActionMismatchAndGivesUpAfterMaxRetransmits() throws Exception {
        tracker = new FakeUdpTracker(InetAddress.getLoopbackAddress(), (q, n) -> List.of(
                FakeUdpTracker.connected(q.transactionId() + 1, 7), new byte[] {1, 2, 3}));
        client(2, Duration.ofSeconds(60));
        Throwable e = failure(client.announce(tracker.uri(), HttpTrackerTest.request()));
        assertInstanceOf(TrackerException.class, e);
        assertTrue(e.getMessage().contains("after 3 tries"), e.getMessage());
        assertEquals(3, tracker.count(0)); // n = 0, 1, 2
        assertTrue(client.dropped.sum() >= 6);
    }

    @Test
    void ignoresAnswersFromAnotherAddressThanTheTrackers() throws Exception {
        try (java.net.DatagramSocket imposter = new java.net.DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            tracker = new FakeUdpTracker(InetAddress.getLoopbackAddress(), (q, n) -> {
                byte[] reply = FakeUdpTracker.connected(q.transactionId(), 7);
                try {
                    imposter.send(new java.net.DatagramPacket(reply, reply.length, q.from()));
                } catch (java.io.IOException closedAtTheEnd) {
                    // the test is over
                }
                return List.of();
            });
            // A generous base: the imposter must answer well within the first timeout.
            client(1, Duration.ofSeconds(60), Duration.ofMillis(500));
            Throwable e = failure(client.announce(tracker.uri(), HttpTrackerTest.request()));
            assertInstanceOf(TrackerException.class, e);
            assertTrue(tracker.count(0) >= 1, e + " " + tracker.requests);
            assertEquals(0, tracker.count(1), "no announce after a connect answered by someone else");
            assertTrue(client.dropped.sum() >= 1);
        }
    }

    @Test
    void fetchesANewConnectionIdOnceItExpires() throws Exception {
        tracker = new FakeUdpTracker(InetAddress.getLoopbackAddress(), FakeUdpTracker.sane(PEER));
        client(3, Duration.ZERO);
        client.announce(tracker.uri(), HttpTrackerTest.request()).get(10, TimeUnit.SECONDS);
        client.announce(tracker.uri(), HttpTrackerTest.request()).get(10, TimeUnit.SECONDS);
        assertEquals(List.of(0, 1, 0, 1), tracker.requests.stream().map(FakeUdpTracker.Request::action).toList());
    }

    @Test
    void reconnectsDuringRetransmissionWhenTheConnectionIdExpired() throws Exception {
        // Connects are answered, announces only from the second connection on.
        tracker = new FakeUdpTracker(InetAddress.getLoopbackAddress(), (q, n) -> q.action() == 0
                ? List.of(FakeUdpTracker.connected(q.transactionId(), 7 + n))
                : q.connectionId() == 7 ? List.of() : List.of(FakeUdpTracker.announced(q.transactionId(), 60, PEER)));
        client(4, Duration.ofMillis(100));
        client.announce(tracker.uri(), HttpTrackerTest.request()).get(10, TimeUnit.SECONDS);
        List<Integer> actions = tracker.requests.stream().map(FakeUdpTracker.Request::action).toList();
        assertEquals(0, actions.get(0));
        assertTrue(tracker.count(0) >= 2, actions.toString());
        assertEquals(1, actions.get(actions.size() - 1));
    }

    @Test
    void surfacesTheTrackersErrorMessage() throws Exception {
        tracker = new FakeUdpTracker(InetAddress.getLoopbackAddress(), (q, n) -> List.of(q.action() == 0
                ? FakeUdpTracker.connected(q.transactionId(), 7) : FakeUdpTracker.error(q.transactionId(), "unregistered torrent")));
        client(3, Duration.ofSeconds(60));
        TrackerException e = assertInstanceOf(TrackerException.class, failure(client.announce(tracker.uri(), HttpTrackerTest.request())));
        assertTrue(e.reportedByTracker());
        assertEquals("unregistered torrent", e.getMessage());
    }

    @Test
    void announcesOverIpv6AndReadsEighteenBytePeers() throws Exception {
        byte[] v6 = ByteBuffer.allocate(18).put(InetAddress.getByName("::1").getAddress()).putShort((short) 7000).array();
        tracker = new FakeUdpTracker(InetAddress.getByName("::1"), FakeUdpTracker.sane(v6));
        client(3, Duration.ofSeconds(60));
        AnnounceResponse r = client.announce(tracker.uri(), HttpTrackerTest.request()).get(10, TimeUnit.SECONDS);
        assertEquals(List.of(new InetSocketAddress("::1", 7000)), r.peers());
    }

    @Test
    void scrapesOneLinePerHash() throws Exception {
        tracker = new FakeUdpTracker(InetAddress.getLoopbackAddress(), (q, n) -> List.of(q.action() == 0
                ? FakeUdpTracker.connected(q.transactionId(), 7)
                : ByteBuffer.allocate(32).putInt(2).putInt(q.transactionId()).putInt(4).putInt(5).putInt(6)
                        .putInt(9).putInt(9).putInt(9).array()));
        client(3, Duration.ofSeconds(60));
        Map<?, ScrapeStats> s = client.scrape(tracker.uri(), List.of(HttpTrackerTest.HASH)).get(10, TimeUnit.SECONDS);
        assertEquals(Map.of(HttpTrackerTest.HASH, new ScrapeStats(4, 5, 6)), s);
    }
}
