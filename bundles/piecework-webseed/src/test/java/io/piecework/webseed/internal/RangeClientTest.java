package io.piecework.webseed.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RangeClientTest {
    private static final byte[] FILE = new byte[100_000];

    static {
        for (int i = 0; i < FILE.length; i++) {
            FILE[i] = (byte) (i * 31 + 7);
        }
    }

    private final RangeServer server;
    private final RangeClient client;

    RangeClientTest() throws Exception {
        server = new RangeServer();
        server.put("/a.bin", FILE);
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        client = new RangeClient(() -> http, () -> WebSeedSettings.DEFAULTS);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private byte[] fetch(URI url, long offset, int length) throws Exception {
        return client.fetch(url, offset, length, FILE.length).get(30, TimeUnit.SECONDS);
    }

    private WebSeedException failure(URI url, long offset, int length) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> fetch(url, offset, length));
        return (WebSeedException) RangeClient.unwrap(e.getCause());
    }

    @Test
    void fetchesExactlyTheRangeAsked() throws Exception {
        assertArrayEquals(Arrays.copyOfRange(FILE, 40_000, 56_384), fetch(server.url("/a.bin"), 40_000, 16_384));
        assertEquals("/a.bin bytes=40000-56383", server.requests.get(0));
    }

    @Test
    void dropsASeedThatSendsMoreThanAsked() {
        // The right headers, then a body that goes on (chunked: no length announced).
        server.override = exchange -> {
            exchange.getResponseHeaders().add("Content-Range", "bytes 0-99/100000");
            exchange.sendResponseHeaders(206, 0);
            exchange.getResponseBody().write(new byte[5_000]);
            return true;
        };
        assertEquals(WebSeedException.Kind.DROP, failure(server.url("/a.bin"), 0, 100).kind());
    }

    @Test
    void retriesABodyCutShort() {
        server.override = exchange -> {
            exchange.getResponseHeaders().add("Content-Range", "bytes 0-99/100000");
            exchange.sendResponseHeaders(206, 0);
            exchange.getResponseBody().write(new byte[60]);
            return true;
        };
        assertEquals(WebSeedException.Kind.RETRY, failure(server.url("/a.bin"), 0, 100).kind());
    }

    @Test
    void retriesWhenBusyAndWhenRefused() throws Exception {
        server.override = exchange -> {
            exchange.sendResponseHeaders(503, -1);
            return true;
        };
        assertEquals(WebSeedException.Kind.RETRY, failure(server.url("/a.bin"), 0, 100).kind());
        URI gone = server.url("/a.bin");
        server.close();
        assertEquals(WebSeedException.Kind.RETRY, failure(gone, 0, 100).kind());
    }

    @Test
    void followsRedirectsUpToTheBound() throws Exception {
        int[] hops = {0};
        server.override = exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/hop")) {
                int n = Integer.parseInt(path.substring(4));
                exchange.getResponseHeaders().add("Location", n == 0 ? "/a.bin" : "/hop" + (n - 1));
                exchange.sendResponseHeaders(302, -1);
                hops[0]++;
                return true;
            }
            return false;
        };
        int max = WebSeedSettings.DEFAULTS.maxRedirects();
        assertArrayEquals(Arrays.copyOfRange(FILE, 0, 100), fetch(server.url("/hop" + (max - 1)), 0, 100));
        assertEquals(max, hops[0]);
        assertEquals(WebSeedException.Kind.DROP, failure(server.url("/hop" + max), 0, 100).kind());
    }

    @Test
    void followsRedirectsOnlyToHttpAndHttps() {
        server.override = exchange -> {
            exchange.getResponseHeaders().add("Location", "file:///etc/passwd");
            exchange.sendResponseHeaders(301, -1);
            return true;
        };
        assertEquals(WebSeedException.Kind.DROP, failure(server.url("/a.bin"), 0, 100).kind());
    }

    @Test
    void dropsAServerThatIgnoresRangeForAPartOfTheFile() {
        server.override = exchange -> {
            exchange.sendResponseHeaders(200, FILE.length);
            exchange.getResponseBody().write(FILE);
            return true;
        };
        assertEquals(WebSeedException.Kind.DROP, failure(server.url("/a.bin"), 0, 100).kind());
    }
}
