package io.piecework.webseed.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.wire.Handshake;
import io.piecework.transport.PeerHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A web seed against a loopback server, seen from the engine's side of the connection. */
class WebSeedConnectionTest {
    private static final int PIECE = 32_768;
    private static final int BLOCK = 16_384;
    /** a (20000 bytes), b (5000) and c/d (40000): piece 0 spans all three files. */
    private final TorrentMetainfo torrent = Torrents.multi("dir", PIECE, List.of(), "a", 20_000, "b", 5_000,
            "c/d", 40_000);
    private final byte[] payload = new byte[65_000];
    private final RangeServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final Events events = new Events();

    record Block(int piece, int begin, byte[] bytes) {
    }

    /** What the engine's handler would see, in order. */
    static final class Events implements PeerHandler {
        final BlockingQueue<Object> seen = new LinkedBlockingQueue<>();

        @Override
        public void onHaveAll() {
            seen.add("have all");
        }

        @Override
        public void onUnchoke() {
            seen.add("unchoke");
        }

        @Override
        public ByteBuffer pieceDestination(int piece, int begin, int length) {
            return ByteBuffer.allocate(length + 10).position(5); // as a pool's buffer may come
        }

        @Override
        public void onPiece(int piece, int begin, ByteBuffer block) {
            byte[] bytes = new byte[block.remaining()];
            block.get(bytes);
            seen.add(new Block(piece, begin, bytes));
        }

        @Override
        public void onClosed(String reason) {
            seen.add("closed: " + reason);
        }

        Object next() throws InterruptedException {
            Object o = seen.poll(30, TimeUnit.SECONDS);
            assertNotNull(o, "an event within 30 s");
            return o;
        }
    }

    WebSeedConnectionTest() throws Exception {
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 13 + i / 1000);
        }
        server = new RangeServer();
        for (FileEntry f : torrent.files()) {
            server.put("/pub/dir/" + String.join("/", f.path()),
                    Arrays.copyOfRange(payload, (int) f.offset(), (int) (f.offset() + f.length())));
        }
    }

    @AfterEach
    void stop() {
        server.close();
        pool.shutdownNow();
        timer.shutdownNow();
    }

    private WebSeedConnection connect(WebSeedSettings settings) throws InterruptedException {
        URI base = WebSeedUrls.base(server.url("/pub/").toString());
        URI[] urls = torrent.files().stream().map(f -> WebSeedUrls.file(base, torrent, f)).toArray(URI[]::new);
        WebSeedConnection c = new WebSeedConnection("test", torrent, urls, new InetSocketAddress("127.0.0.1", 1),
                new Handshake(new byte[8], torrent.infoHash(), io.piecework.wire.PeerId.generate(new java.util.Random(1))),
                new RangeClient(() -> http, () -> settings), () -> settings, pool, timer);
        c.start(events);
        assertEquals("have all", events.next());
        c.interested();
        assertEquals("unchoke", events.next());
        return c;
    }

    private static WebSeedSettings settings(int maxRequests, int maxRetries) {
        return new WebSeedSettings(true, maxRequests, 1 << 20, Duration.ofSeconds(5), Duration.ofSeconds(20), 5,
                maxRetries, Duration.ofMillis(10), 8);
    }

    private void assertBlock(Object event, int piece, int begin, int length) {
        Block b = (Block) event;
        assertEquals(piece + "/" + begin, b.piece() + "/" + b.begin());
        int from = piece * PIECE + begin;
        assertArrayEquals(Arrays.copyOfRange(payload, from, from + length), b.bytes());
    }

    @Test
    void coalescesAdjacentBlocksIntoOneRequestPerFileAndDeliversThemInOrder() throws Exception {
        WebSeedConnection c = connect(settings(4, 3));
        // The engine flushes its requests in one batch; the seed sees them all before it dispatches
        // (one by one, a dispatch could run between two of them under load: it did, at a load of 20).
        c.batch(() -> {
            c.request(1, BLOCK, 32_232 - BLOCK); // the last, short block of the last piece
            c.request(0, 0, BLOCK);
            c.request(0, BLOCK, BLOCK);
            c.request(1, 0, BLOCK);
        });
        List<Object> got = List.of(events.next(), events.next(), events.next(), events.next());
        // One range per file: a (both blocks of piece 0 and 3,616 bytes of piece 1), b, c/d.
        assertEquals(3, server.requests.size(), server.requests.toString());
        assertTrue(server.requests.contains("/pub/dir/a bytes=0-19999"), server.requests.toString());
        assertTrue(server.requests.contains("/pub/dir/b bytes=0-4999"), server.requests.toString());
        for (Object o : got) {
            Block b = (Block) o;
            assertBlock(b, b.piece(), b.begin(), b.bytes().length);
        }
        assertEquals(4, got.stream().map(o -> ((Block) o).piece() * PIECE + ((Block) o).begin()).distinct().count());
    }

    @Test
    void retriesABusyServerAfterABackoff() throws Exception {
        int[] busy = {2};
        server.override = exchange -> {
            synchronized (busy) {
                if (busy[0]-- > 0) {
                    exchange.sendResponseHeaders(503, -1);
                    return true;
                }
            }
            return false;
        };
        WebSeedConnection c = connect(settings(1, 3));
        c.request(1, 0, BLOCK);
        assertBlock(events.next(), 1, 0, BLOCK);
        assertEquals(3, server.requests.size());
        c.close("done");
        assertEquals("closed: done", events.next());
    }

    @Test
    void isDroppedAfterTooManyFailuresInARow() throws Exception {
        server.override = exchange -> {
            exchange.sendResponseHeaders(503, -1);
            return true;
        };
        WebSeedConnection c = connect(settings(1, 2));
        c.request(1, 0, BLOCK);
        String closed = (String) events.next();
        assertTrue(closed.startsWith("closed: web seed: 3 failures in a row"), closed);
        assertEquals(3, server.requests.size());
        assertTrue(c.isClosed());
    }

    @Test
    void isDroppedAtOnceForAWrongRange() throws Exception {
        server.override = exchange -> {
            exchange.getResponseHeaders().add("Content-Range", "bytes 0-16383/40000");
            exchange.sendResponseHeaders(206, BLOCK);
            exchange.getResponseBody().write(new byte[BLOCK]);
            return true;
        };
        WebSeedConnection c = connect(settings(1, 5));
        c.request(1, 0, BLOCK);
        String closed = (String) events.next();
        assertTrue(closed.startsWith("closed: web seed: sent bytes 0-16383"), closed);
        assertEquals(1, server.requests.size());
    }

    @Test
    void aCancelledBlockIsNeverFetched() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.override = exchange -> {
            if (exchange.getRequestURI().getPath().endsWith("/a")) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return false;
        };
        WebSeedConnection c = connect(settings(1, 3));
        c.request(0, 0, BLOCK); // in /a: held by the server
        waitForRequests(1);
        c.request(1, 0, BLOCK);
        c.cancel(1, 0, BLOCK);
        c.request(1, BLOCK, 32_232 - BLOCK);
        release.countDown();
        assertBlock(events.next(), 0, 0, BLOCK);
        assertBlock(events.next(), 1, BLOCK, 32_232 - BLOCK);
        assertEquals(List.of("/pub/dir/a bytes=0-16383", "/pub/dir/c/d bytes=24152-39999"), server.requests);
    }

    private void waitForRequests(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        synchronized (server.requests) {
            for (long left = deadline - System.nanoTime(); server.requests.size() < n && left > 0;
                    left = deadline - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(server.requests, left); // the server notifies each request
            }
        }
        assertTrue(server.requests.size() >= n, "the server saw " + n + " request(s)");
    }
}
