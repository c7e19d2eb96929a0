package io.piecework.webseed.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.transport.PeerConnection;
import io.piecework.transport.PeerHandler;
import io.piecework.transport.TorrentPeers;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A web seed that dropped itself for an error (a server answering 503) is connected again
 * after a backoff, and serves once the server is back; one the engine closed (as it does after
 * a ban for bad data) is not.
 */
class WebSeedsReconnectTest {
    private static final int PIECE = 32_768;
    private final RangeServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final BlockingQueue<Seen> connected = new LinkedBlockingQueue<>();

    record Seen(PeerConnection connection, WebSeedConnectionTest.Events events) {
    }

    WebSeedsReconnectTest() throws Exception {
        server = new RangeServer();
        server.put("/down/dir/a", new byte[40_000]);
        server.put("/banned/dir/a", new byte[40_000]);
    }

    @AfterEach
    void stop() {
        server.close();
        timer.shutdownNow();
        pool.shutdownNow();
    }

    private Seen next() throws InterruptedException {
        Seen s = connected.poll(30, TimeUnit.SECONDS);
        assertTrue(s != null, "a connection within 30 s");
        return s;
    }

    @Test
    void aSeedDroppedForAnErrorComesBackAndOneTheEngineClosedDoesNot() throws Exception {
        server.override = exchange -> {
            if (exchange.getRequestURI().getPath().startsWith("/down/")) {
                exchange.sendResponseHeaders(503, -1);
                return true;
            }
            return false;
        };
        TorrentMetainfo torrent = Torrents.multi("dir", PIECE, List.of(server.url("/down/").toString(),
                server.url("/banned/").toString()), "a", 40_000);
        WebSeedSettings settings = new WebSeedSettings(true, 4, 1 << 20, Duration.ofSeconds(5), Duration.ofSeconds(20),
                5, 1, Duration.ofMillis(10), 8, Duration.ofMillis(200));
        TorrentPeers peers = new TorrentPeers() {
            public int pieceCount() {
                return torrent.pieceCount();
            }

            public PeerHandler connected(PeerConnection c) {
                WebSeedConnectionTest.Events e = new WebSeedConnectionTest.Events();
                connected.add(new Seen(c, e));
                return e;
            }
        };
        WebSeeds seeds = new WebSeeds(torrent, peers, () -> http, () -> settings, pool, timer).start();
        Seen first = next();
        Seen second = next();
        Seen down = first.connection().toString().contains("/down/") ? first : second;
        Seen banned = down == first ? second : first;
        // The engine closes this one, as after a ban: it must not come back.
        banned.connection().close("banned: sent bad data");
        // The other fails twice (503), is dropped, and is connected again after the backoff.
        down.connection().interested();
        down.connection().request(0, 0, 16_384);
        Object event;
        do {
            event = down.events().next();
        } while (!(event instanceof String s && s.startsWith("closed")));
        assertTrue(((String) event).contains("503") || ((String) event).contains("failures"), event.toString());
        server.override = exchange -> false;
        Seen again = next();
        assertTrue(again.connection().toString().contains("/down/"), "the dropped seed again: " + again.connection());
        again.connection().interested();
        again.connection().request(0, 0, 16_384);
        do {
            event = again.events().next();
        } while (!(event instanceof WebSeedConnectionTest.Block));
        assertEquals(0, ((WebSeedConnectionTest.Block) event).piece(), "served once the server is back");
        assertTrue(connected.isEmpty(), "the seed the engine closed stayed closed: " + connected);
        seeds.close();
    }
}
