package io.piecework.webseed.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One range of one file over HTTP(S), through the JDK's {@link HttpClient} (redirects are
 * followed here, not by the client, so that they are counted and their schemes checked). The
 * answer is judged by {@link RangeCheck} before its body is read and taken by a
 * {@link BoundedBody}; the whole exchange, body included, has the request timeout.
 */
final class RangeClient {
    static final String USER_AGENT = "Piecework/0.1 (BEP 19 web seed)";

    private final Supplier<HttpClient> client;
    private final Supplier<WebSeedSettings> settings;

    RangeClient(Supplier<HttpClient> client, Supplier<WebSeedSettings> settings) {
        this.client = client;
        this.settings = settings;
    }

    /** Fails with a {@link WebSeedException} saying whether to retry or to drop the seed. */
    CompletableFuture<byte[]> fetch(URI uri, long offset, int length, long fileLength) {
        return fetch(uri, offset, length, fileLength, settings.get().maxRedirects());
    }

    private CompletableFuture<byte[]> fetch(URI uri, long offset, int length, long fileLength, int redirectsLeft) {
        WebSeedSettings s = settings.get();
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(s.requestTimeout())
                .header("Range", "bytes=" + offset + "-" + (offset + length - 1))
                .header("User-Agent", USER_AGENT)
                .GET().build();
        BoundedBody[] body = new BoundedBody[1];
        HttpResponse.BodyHandler<byte[]> handler = info -> {
            body[0] = new BoundedBody(length);
            try {
                RangeCheck.check(uri, info.statusCode(), info.headers(), offset, length, fileLength);
            } catch (WebSeedException e) {
                body[0].fail(e); // nothing of this body is read
            }
            return body[0];
        };
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        client.get().sendAsync(request, handler)
                .orTimeout(s.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((response, failure) -> {
                    if (failure == null) {
                        answer.complete(response.body());
                        return;
                    }
                    Throwable cause = unwrap(failure);
                    if (body[0] != null) {
                        body[0].fail(cause); // a timed-out body stops being read
                    }
                    if (cause instanceof WebSeedException e && e.kind() == WebSeedException.Kind.REDIRECT) {
                        follow(uri, e.location(), offset, length, fileLength, redirectsLeft, answer);
                    } else {
                        answer.completeExceptionally(classify(cause));
                    }
                });
        return answer;
    }

    private void follow(URI from, URI to, long offset, int length, long fileLength, int redirectsLeft,
                        CompletableFuture<byte[]> answer) {
        String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
        if (redirectsLeft <= 0) {
            answer.completeExceptionally(WebSeedException.drop("more than " + settings.get().maxRedirects() + " redirects"));
        } else if (!scheme.equals("http") && !scheme.equals("https") || to.getHost() == null) {
            answer.completeExceptionally(WebSeedException.drop("redirected to a URL that is not http(s)"));
        } else if (scheme.equals("http") && "https".equalsIgnoreCase(from.getScheme())) {
            answer.completeExceptionally(WebSeedException.drop("redirected from https down to http"));
        } else {
            fetch(to, offset, length, fileLength, redirectsLeft - 1).whenComplete((bytes, failure) -> {
                if (failure == null) {
                    answer.complete(bytes);
                } else {
                    answer.completeExceptionally(unwrap(failure));
                }
            });
        }
    }

    /** Timeouts and I/O errors (refused, reset, TLS) are worth a retry; a check's verdict stands. */
    static WebSeedException classify(Throwable cause) {
        if (cause instanceof WebSeedException e) {
            return e;
        }
        if (cause instanceof TimeoutException || cause instanceof IOException) {
            String what = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            return WebSeedException.retry(what);
        }
        return WebSeedException.drop(String.valueOf(cause));
    }

    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
