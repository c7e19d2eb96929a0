package io.piecework.webseed.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RangeCheckTest {
    private static final URI URL = URI.create("http://seed.example/pub/a.bin");
    private static final long FILE = 100_000;

    private static HttpHeaders headers(String... pairs) {
        Map<String, List<String>> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], List.of(pairs[i + 1]));
        }
        return HttpHeaders.of(map, (k, v) -> true);
    }

    private static WebSeedException.Kind verdict(int status, HttpHeaders h, long offset, long length) {
        return assertThrows(WebSeedException.class, () -> RangeCheck.check(URL, status, h, offset, length, FILE)).kind();
    }

    @Test
    void takesThePartialAnswerWithExactlyTheRangeAsked() {
        assertDoesNotThrow(() -> RangeCheck.check(URL, 206,
                headers("Content-Range", "bytes 16384-32767/100000", "Content-Length", "16384"), 16_384, 16_384, FILE));
        assertDoesNotThrow(() -> RangeCheck.check(URL, 206, headers("Content-Range", "bytes 16384-32767/*"),
                16_384, 16_384, FILE));
    }

    @Test
    void dropsAServerThatSendsAnotherRangeOrSize() {
        assertEquals(WebSeedException.Kind.DROP, verdict(206, headers("Content-Range", "bytes 0-16383/100000"), 16_384, 16_384));
        assertEquals(WebSeedException.Kind.DROP, verdict(206, headers("Content-Range", "bytes 16384-32768/100000"), 16_384, 16_384));
        assertEquals(WebSeedException.Kind.DROP, verdict(206, headers("Content-Range", "bytes 16384-32767/99999"), 16_384, 16_384));
        assertEquals(WebSeedException.Kind.DROP, verdict(206, headers(), 16_384, 16_384));
        // Longer or shorter than the range, by its own Content-Length.
        assertEquals(WebSeedException.Kind.DROP, verdict(206,
                headers("Content-Range", "bytes 16384-32767/100000", "Content-Length", "16385"), 16_384, 16_384));
        assertEquals(WebSeedException.Kind.DROP, verdict(206,
                headers("Content-Range", "bytes 16384-32767/100000", "Content-Length", "100"), 16_384, 16_384));
        assertEquals(WebSeedException.Kind.DROP, verdict(206,
                headers("Content-Range", "bytes 16384-32767/100000", "Content-Length", "x"), 16_384, 16_384));
        assertEquals(WebSeedException.Kind.DROP, verdict(206, headers("Content-Range", "bytes 16384-32767/100000",
                "Content-Type", "multipart/byteranges; boundary=x"), 16_384, 16_384));
        assertEquals(WebSeedException.Kind.DROP, verdict(206, headers("Content-Range", "bytes 16384-32767/100000",
                "Content-Encoding", "gzip"), 16_384, 16_384));
    }

    @Test
    void takesA200OnlyForTheWholeFileAtItsSize() {
        assertDoesNotThrow(() -> RangeCheck.check(URL, 200, headers("Content-Length", "100000"), 0, FILE, FILE));
        assertDoesNotThrow(() -> RangeCheck.check(URL, 200, headers(), 0, FILE, FILE));
        assertEquals(WebSeedException.Kind.DROP, verdict(200, headers("Content-Length", "99999"), 0, FILE));
        // A server that ignores Range would send the whole file for every block: no use.
        assertEquals(WebSeedException.Kind.DROP, verdict(200, headers("Content-Length", "100000"), 0, 16_384));
    }

    @Test
    void retriesBusyServersAndFollowsRedirects() {
        WebSeedException busy = assertThrows(WebSeedException.class,
                () -> RangeCheck.check(URL, 503, headers("Retry-After", "7"), 0, 10, FILE));
        assertEquals(WebSeedException.Kind.RETRY, busy.kind());
        assertEquals(7, busy.retryAfterSeconds());
        WebSeedException greedy = assertThrows(WebSeedException.class,
                () -> RangeCheck.check(URL, 429, headers("Retry-After", "999999999"), 0, 10, FILE));
        assertEquals(RangeCheck.MAX_RETRY_AFTER_SECONDS, greedy.retryAfterSeconds());
        assertEquals(WebSeedException.Kind.DROP, verdict(404, headers(), 0, 10));
        assertEquals(WebSeedException.Kind.DROP, verdict(416, headers(), 0, 10));
        WebSeedException moved = assertThrows(WebSeedException.class,
                () -> RangeCheck.check(URL, 302, headers("Location", "../mirror/a.bin"), 0, 10, FILE));
        assertEquals(WebSeedException.Kind.REDIRECT, moved.kind());
        assertEquals(URI.create("http://seed.example/mirror/a.bin"), moved.location());
        assertEquals(WebSeedException.Kind.DROP, verdict(301, headers(), 0, 10));
    }
}
