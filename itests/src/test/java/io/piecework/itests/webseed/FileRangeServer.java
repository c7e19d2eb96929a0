package io.piecework.itests.webseed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A web seed for tests: the JDK's HTTP server on loopback serving a folder under /pub/, with
 * single byte ranges (206 and Content-Range, as nginx answers them). A corrupting server flips
 * a byte in the middle of every range it serves.
 */
final class FileRangeServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

    private final HttpServer server;
    private final Path root;
    private final boolean corrupt;
    private final long bytesPerSecond;
    private final long startedAt = System.nanoTime();
    private final AtomicLong sent = new AtomicLong();
    final AtomicInteger ranges = new AtomicInteger();

    FileRangeServer(Path root, boolean corrupt) throws IOException {
        this(root, corrupt, 0);
    }

    /** @param bytesPerSecond what the server sends at most, all responses together; 0: no limit */
    FileRangeServer(Path root, boolean corrupt, long bytesPerSecond) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.corrupt = corrupt;
        this.bytesPerSecond = bytesPerSecond;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "web-seed-test");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/pub/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The url-list entry: a folder, so the torrent's name (and paths) are appended. */
    String url() {
        return "http://127.0.0.1:" + port() + "/pub/";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Path file = root.resolve(exchange.getRequestURI().getPath().substring("/pub/".length())).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            long size = Files.size(file);
            String range = exchange.getRequestHeaders().getFirst("Range");
            Matcher m = range == null ? null : RANGE.matcher(range);
            if (m == null || !m.matches()) {
                exchange.sendResponseHeaders(400, -1); // a web seed always asks for a range
                return;
            }
            long first = Long.parseLong(m.group(1));
            long last = Math.min(Long.parseLong(m.group(2)), size - 1);
            if (first > last) {
                exchange.sendResponseHeaders(416, -1);
                return;
            }
            ByteBuffer body = ByteBuffer.allocate((int) (last - first + 1));
            try (FileChannel ch = FileChannel.open(file)) {
                while (body.hasRemaining() && ch.read(body, first + body.position()) >= 0) {
                    // reads until full
                }
            }
            if (corrupt) {
                int middle = body.capacity() / 2;
                body.put(middle, (byte) ~body.get(middle));
            }
            ranges.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Range", "bytes " + first + "-" + last + "/" + size);
            exchange.sendResponseHeaders(206, body.capacity());
            try (OutputStream out = exchange.getResponseBody()) {
                for (int at = 0; at < body.capacity(); at += 16_384) {
                    int n = Math.min(16_384, body.capacity() - at);
                    pace(n);
                    out.write(body.array(), at, n);
                }
            }
        }
    }

    /** A slow server: holds each chunk back until the rate allows it (a server's pace, not a test's wait). */
    private void pace(int bytes) {
        if (bytesPerSecond <= 0) {
            return;
        }
        long due = startedAt + sent.addAndGet(bytes) * 1_000_000_000L / bytesPerSecond;
        long wait = due - System.nanoTime();
        if (wait > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
