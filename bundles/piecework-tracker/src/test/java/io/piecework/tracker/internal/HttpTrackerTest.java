package io.piecework.tracker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.tracker.AnnounceRequest;
import io.piecework.tracker.AnnounceResponse;
import io.piecework.tracker.ScrapeStats;
import io.piecework.tracker.TrackerEvent;
import io.piecework.tracker.TrackerException;
import io.piecework.tracker.TrackerLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpTrackerTest {
    static final InfoHash HASH = InfoHash.parse("0123456789abcdef0123456789abcdef01234567");
    static final byte[] PEER_ID = "-PW0100-abcdefghijkl".getBytes(StandardCharsets.ISO_8859_1);

    private HttpServer server;
    private ExecutorService executor;
    private HttpTracker tracker;
    private final AtomicReference<String> lastQuery = new AtomicReference<>();

    static TrackerSettings settings(TrackerLimits limits) {
        return new TrackerSettings(50, Duration.ofSeconds(5), 2, Duration.ofMillis(50), 3, Duration.ofSeconds(60),
                Duration.ofMinutes(30), Duration.ofMillis(0), Duration.ofMillis(100), Duration.ofSeconds(2), limits);
    }

    static AnnounceRequest request() {
        return new AnnounceRequest(HASH, PEER_ID, 6881, 1, 2, 3, TrackerEvent.STARTED, 50, 42, null);
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.start();
        executor = Executors.newFixedThreadPool(2);
        tracker = new HttpTracker(settings(new TrackerLimits(1024, 10, 64)), executor);
    }

    @AfterEach
    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private void serve(String path, int status, byte[] body, boolean chunked) {
        server.createContext(path, ex -> {
            lastQuery.set(ex.getRequestURI().getRawQuery());
            reply(ex, status, body, chunked);
        });
    }

    private static void reply(HttpExchange ex, int status, byte[] body, boolean chunked) throws IOException {
        ex.sendResponseHeaders(status, chunked ? 0 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static Throwable failure(java.util.concurrent.CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void makesItsHttpClientOnTheFirstRequestOnly() throws Exception {
        // Building the JDK's client loads its TLS context: a get without an HTTP tracker
        // should not pay for it at start.
        assertFalse(tracker.started());
        serve("/announce", 200, "d8:intervali60ee".getBytes(), false);
        assertEquals(60, tracker.announce(url("/announce"), request()).get(10, TimeUnit.SECONDS).interval());
        assertTrue(tracker.started());
    }

    @Test
    void announcesAndParsesCompactPeers() throws Exception {
        serve("/announce", 200, ("d8:intervali900e5:peers6:" + new String(new byte[] {127, 0, 0, 1, 0x1a, (byte) 0xe1},
                StandardCharsets.ISO_8859_1) + "e").getBytes(StandardCharsets.ISO_8859_1), false);
        AnnounceResponse r = tracker.announce(url("/announce"), request()).get(10, TimeUnit.SECONDS);
        assertEquals(900, r.interval());
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 6881)), r.peers());
        assertTrue(lastQuery.get().contains("event=started"), lastQuery.get());
        assertTrue(lastQuery.get().contains("info_hash=%01%23Eg%89%AB"), lastQuery.get());
    }

    @Test
    void followsRedirectsToHttpButNotOtherSchemesNorTooMany() throws Exception {
        server.createContext("/moved", ex -> {
            ex.getResponseHeaders().add("Location", "/announce?x=1");
            reply(ex, 302, new byte[0], false);
        });
        serve("/announce", 200, "d8:intervali60ee".getBytes(), false);
        assertEquals(60, tracker.announce(url("/moved"), request()).get(10, TimeUnit.SECONDS).interval());
        // A Location is the whole URL to fetch: nothing is appended to it.
        assertEquals("x=1", lastQuery.get());

        server.createContext("/ftp", ex -> {
            ex.getResponseHeaders().add("Location", "ftp://127.0.0.1/announce");
            reply(ex, 301, new byte[0], false);
        });
        assertTrue(failure(tracker.announce(url("/ftp"), request())).getMessage().contains("non-HTTP"));

        server.createContext("/loop", ex -> {
            ex.getResponseHeaders().add("Location", "/loop");
            reply(ex, 307, new byte[0], false);
        });
        assertTrue(failure(tracker.announce(url("/loop"), request())).getMessage().contains("redirects"));
    }

    @Test
    void refusesBodiesOverTheLimitWithOrWithoutContentLength() {
        byte[] big = ("d8:intervali60e1:x2000:" + "y".repeat(2000) + "e").getBytes();
        serve("/big", 200, big, false);
        serve("/chunked", 200, big, true);
        assertTrue(failure(tracker.announce(url("/big"), request())).getMessage().contains("larger than 1024"));
        assertTrue(failure(tracker.announce(url("/chunked"), request())).getMessage().contains("larger than 1024"));
    }

    @Test
    void surfacesFailureReasonEvenWithAnErrorStatus() {
        serve("/announce", 400, "d14:failure reason9:forbiddene".getBytes(), false);
        TrackerException e = assertInstanceOf(TrackerException.class, failure(tracker.announce(url("/announce"), request())));
        assertTrue(e.reportedByTracker());
        assertEquals("forbidden", e.getMessage());
        serve("/plain", 500, "oops".getBytes(), false);
        assertEquals("HTTP 500", failure(tracker.announce(url("/plain"), request())).getMessage());
    }

    @Test
    void announcesToAnIpv6TrackerAndReadsPeers6() throws Exception {
        HttpServer v6 = HttpServer.create(new InetSocketAddress(InetAddress.getByName("::1"), 0), 0);
        byte[] peer = new byte[18];
        peer[15] = 1;
        peer[16] = 0x1b;
        peer[17] = 0x58;
        byte[] body = ("d8:intervali60e6:peers618:" + new String(peer, StandardCharsets.ISO_8859_1) + "e")
                .getBytes(StandardCharsets.ISO_8859_1);
        v6.createContext("/announce", ex -> reply(ex, 200, body, false));
        v6.start();
        try {
            URI uri = URI.create("http://[::1]:" + v6.getAddress().getPort() + "/announce");
            assertEquals(List.of(new InetSocketAddress("::1", 7000)),
                    tracker.announce(uri, request()).get(10, TimeUnit.SECONDS).peers());
        } finally {
            v6.stop(0);
        }
    }

    @Test
    void scrapesTheScrapeUrl() throws Exception {
        byte[] body = ("d5:filesd20:" + new String(HASH.bytes(), StandardCharsets.ISO_8859_1)
                + "d8:completei1e10:downloadedi2e10:incompletei3eeee").getBytes(StandardCharsets.ISO_8859_1);
        serve("/scrape", 200, body, false);
        Map<InfoHash, ScrapeStats> s = tracker.scrape(url("/announce"), List.of(HASH)).get(10, TimeUnit.SECONDS);
        assertEquals(Map.of(HASH, new ScrapeStats(1, 2, 3)), s);
        assertTrue(failure(tracker.scrape(url("/tracker"), List.of(HASH))).getMessage().contains("no scrape URL"));
    }
}
