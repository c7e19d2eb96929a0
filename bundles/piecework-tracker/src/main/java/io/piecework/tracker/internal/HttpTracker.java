package io.piecework.tracker.internal;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.tracker.AnnounceRequest;
import io.piecework.tracker.AnnounceResponse;
import io.piecework.tracker.HttpTrackerCodec;
import io.piecework.tracker.ScrapeStats;
import io.piecework.tracker.TrackerException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * HTTP(S) trackers on the JDK's client; redirects are followed here, to http and https only.
 * The client is made on the first request, not with the component: building it loads the
 * JDK's TLS context and parses its CA certificates, about a tenth of a {@code get}'s start-up
 * CPU, wasted on every torrent without an HTTP tracker (and delaying the first request to a
 * {@code --peer} on those with one).
 */
final class HttpTracker implements TrackerClient {
    private final TrackerSettings settings;
    private final Executor executor;
    private volatile HttpClient client;

    HttpTracker(TrackerSettings settings, Executor executor) {
        this.settings = settings;
        this.executor = executor;
    }

    /** The client, made by the first caller. */
    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = HttpClient.newBuilder()
                            .executor(executor)
                            .connectTimeout(settings.httpTimeout())
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .build();
                    client = c;
                }
            }
        }
        return c;
    }

    /** Whether a request has been made yet (the client exists). */
    boolean started() {
        return client != null;
    }

    @Override
    public CompletableFuture<AnnounceResponse> announce(URI tracker, AnnounceRequest request) {
        return get(HttpTrackerCodec.announceUri(tracker, request), 0)
                .thenApply(body -> unchecked(() -> HttpTrackerCodec.parseAnnounce(body, settings.limits())));
    }

    @Override
    public CompletableFuture<Map<InfoHash, ScrapeStats>> scrape(URI tracker, List<InfoHash> hashes) {
        URI uri = HttpTrackerCodec.scrapeUri(tracker, hashes).orElse(null);
        if (uri == null) {
            return CompletableFuture.failedFuture(new TrackerException("tracker " + tracker + " has no scrape URL", false));
        }
        return get(uri, 0).thenApply(body -> unchecked(() -> HttpTrackerCodec.parseScrape(body, settings.limits())));
    }

    /** The body of a 2xx answer, after following up to maxRedirects redirects. */
    private CompletableFuture<byte[]> get(URI uri, int redirects) {
        if (!isHttp(uri)) {
            return CompletableFuture.failedFuture(new TrackerException("refusing non-HTTP URL " + uri.getScheme(), false));
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(settings.httpTimeout())
                .header("User-Agent", "Piecework/0.1")
                .GET().build();
        return client().sendAsync(request, BoundedBody.handler(settings.limits().maxResponseBytes()))
                .orTimeout(settings.httpTimeout().toMillis() * 2, TimeUnit.MILLISECONDS)
                .thenCompose(r -> handle(uri, r, redirects));
    }

    private CompletableFuture<byte[]> handle(URI uri, HttpResponse<byte[]> r, int redirects) {
        int status = r.statusCode();
        if (status >= 200 && status < 300) {
            return CompletableFuture.completedFuture(r.body());
        }
        if (status >= 300 && status < 400 && status != 304) {
            String location = r.headers().firstValue("location").orElse(null);
            if (location == null) {
                return failed("HTTP " + status + " without a Location");
            }
            if (redirects >= settings.maxRedirects()) {
                return failed("more than " + settings.maxRedirects() + " redirects");
            }
            URI next;
            try {
                next = uri.resolve(new URI(location));
            } catch (Exception e) {
                return failed("bad redirect Location");
            }
            return get(next, redirects + 1);
        }
        // Some trackers explain a refusal in a bencoded body with an error status.
        try {
            HttpTrackerCodec.parseAnnounce(r.body(), settings.limits());
        } catch (TrackerException e) {
            if (e.reportedByTracker()) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return failed("HTTP " + status);
    }

    private static boolean isHttp(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
    }

    private static <T> CompletableFuture<T> failed(String message) {
        return CompletableFuture.failedFuture(new TrackerException(message, false));
    }

    interface Parse<T> {
        T get() throws TrackerException;
    }

    static <T> T unchecked(Parse<T> parse) {
        try {
            return parse.get();
        } catch (TrackerException e) {
            throw new CompletionException(e);
        }
    }
}
