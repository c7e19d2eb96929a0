package io.piecework.tracker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.piecework.tracker.AnnounceResponse;
import io.piecework.tracker.TrackerLimits;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile trackers behind real sockets: random and mutated HTTP bodies and UDP packets. Every
 * exchange must end (answer or error, never anything unchecked escaping), peer lists stay
 * within the limit, and nothing is left waiting afterwards.
 */
class ClientFuzzTest {
    private static final int EXCHANGES = 300;
    private static final TrackerLimits LIMITS = new TrackerLimits(2048, 8, 32);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService blocking = Executors.newFixedThreadPool(2);
    private final List<AutoCloseable> closing = new ArrayList<>();

    private static TrackerSettings settings() {
        return new TrackerSettings(50, Duration.ofSeconds(5), 2, Duration.ofMillis(5), 1, Duration.ofSeconds(60),
                Duration.ofMinutes(30), Duration.ZERO, Duration.ofMillis(100), Duration.ofSeconds(2), LIMITS);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        scheduler.shutdownNow();
        blocking.shutdownNow();
    }

    /** Waits for the exchange; it may fail, but only with a checked cause of ours or I/O. */
    private static int outcome(CompletableFuture<AnnounceResponse> f) throws Exception {
        try {
            AnnounceResponse r = f.get(20, TimeUnit.SECONDS);
            assertTrue(r.peers().size() <= LIMITS.maxPeers(), "peers " + r.peers().size());
            return 1;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            assertTrue(cause instanceof io.piecework.tracker.TrackerException || cause instanceof java.io.IOException,
                    () -> "unexpected failure " + cause);
            return 0;
        }
    }

    @Test
    void udpClientSurvivesRandomAndMutatedReplies() throws Exception {
        Random random = new Random(3);
        FakeUdpTracker tracker = new FakeUdpTracker(InetAddress.getLoopbackAddress(), (q, n) -> {
            synchronized (random) {
                byte[] good = q.action() == 0 ? FakeUdpTracker.connected(q.transactionId(), 7)
                        : FakeUdpTracker.announced(q.transactionId(), 60, peers(random, 6 * random.nextInt(40)));
                byte[] bad = random.nextInt(4) == 0 ? io.piecework.tracker.Mutations.randomBytes(random)
                        : io.piecework.tracker.Mutations.mutate(good, random);
                if (bad.length >= 8 && random.nextBoolean()) {
                    ByteBuffer.wrap(bad).putInt(4, q.transactionId()); // reach the decoder, not just the id check
                }
                return random.nextInt(3) == 0 ? List.of(bad, good) : List.of(bad);
            }
        });
        closing.add(tracker);
        UdpTracker client = new UdpTracker(settings(), scheduler, blocking);
        closing.add(0, client);
        int answered = 0;
        for (int i = 0; i < EXCHANGES; i++) {
            answered += outcome(client.announce(tracker.uri(), HttpTrackerTest.request()));
        }
        assertTrue(answered > 0, "some exchanges got a valid answer");
        assertEquals(0, client.pendingCount(), "no exchange left waiting");
    }

    @Test
    void httpClientSurvivesRandomAndMutatedBodies() throws Exception {
        Random random = new Random(4);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/announce", ex -> {
            byte[] body;
            int status;
            synchronized (random) {
                byte[] peers = peers(random, 6 * random.nextInt(40));
                byte[] good = ("d8:intervali60e5:peers" + peers.length + ":" + new String(peers, StandardCharsets.ISO_8859_1)
                        + "e").getBytes(StandardCharsets.ISO_8859_1);
                int pick = random.nextInt(4);
                body = pick == 0 ? io.piecework.tracker.Mutations.randomBytes(random)
                        : pick == 1 ? good : io.piecework.tracker.Mutations.mutate(good, random);
                status = random.nextInt(10) == 0 ? 500 : 200;
            }
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        closing.add(() -> server.stop(0));
        HttpTracker client = new HttpTracker(settings(), blocking);
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/announce");
        int answered = 0;
        // A third of the UDP count: each HTTP exchange costs a connection round trip or more.
        for (int i = 0; i < EXCHANGES / 3; i++) {
            answered += outcome(client.announce(uri, HttpTrackerTest.request()));
        }
        assertTrue(answered > 0, "some exchanges got a valid answer");
    }

    private static byte[] peers(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }
}
