package io.piecework.itests.webui;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP tracker on loopback (the JDK's server, a free port) that refuses every announce with
 * a {@code failure reason} of the test's choosing: text from the network the web UI must show
 * as text.
 */
final class HostileTracker implements AutoCloseable {
    private final HttpServer server;
    final AtomicInteger announces = new AtomicInteger();

    HostileTracker(String failureReason) throws IOException {
        byte[] reason = failureReason.getBytes(StandardCharsets.UTF_8);
        byte[] body = concat(("d14:failure reason" + reason.length + ":").getBytes(StandardCharsets.US_ASCII), reason,
                "e".getBytes(StandardCharsets.US_ASCII));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/announce", exchange -> {
            announces.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    String announceUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/announce";
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
