package io.piecework.webseed.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback HTTP server for tests: serves byte arrays by path with single-range support, and
 * lets a test answer some requests its own way first.
 */
final class RangeServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

    /** Answers a request itself (true) or leaves it to the normal ranges (false). */
    interface Override {
        boolean answer(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    volatile Override override = exchange -> false;

    RangeServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    void put(String rawPath, byte[] bytes) {
        files.put(rawPath, bytes);
    }

    URI url(String rawPath) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + rawPath);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String range = exchange.getRequestHeaders().getFirst("Range");
            synchronized (requests) {
                requests.add(path + " " + range);
                requests.notifyAll();
            }
            if (override.answer(exchange)) {
                return;
            }
            byte[] file = files.get(path);
            if (file == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            Matcher m = range == null ? null : RANGE.matcher(range);
            if (m == null || !m.matches()) {
                exchange.sendResponseHeaders(200, file.length);
                exchange.getResponseBody().write(file);
                return;
            }
            int first = Integer.parseInt(m.group(1));
            int last = Math.min(Integer.parseInt(m.group(2)), file.length - 1);
            exchange.getResponseHeaders().add("Content-Range", "bytes " + first + "-" + last + "/" + file.length);
            exchange.sendResponseHeaders(206, last - first + 1);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(file, first, last - first + 1);
            }
        }
    }

    @java.lang.Override
    public void close() {
        server.stop(0);
    }
}
