package io.piecework.webseed.internal;

import java.time.Duration;

/**
 * How web seeds run, from the component's configuration; read again at each request, so a
 * change applies to the next one.
 *
 * @param maxRequests    range requests under way at once, per web seed and torrent
 * @param maxRangeBytes  the most one range request asks for; with {@code maxRequests} it bounds
 *                       the memory a seed's responses can take
 * @param maxRedirects   redirects followed for one request (http and https only, never from
 *                       https down to http)
 * @param maxRetries     failures in a row (503, refused, timed out, cut short) before the seed
 *                       is dropped; the pause between tries doubles from {@code firstBackoff}
 * @param firstReconnect a seed dropped for an error (not one the engine dropped, e.g. for bad
 *                       data) is connected again after this, doubling per drop in a row up to
 *                       {@link #MAX_RECONNECT}
 */
record WebSeedSettings(boolean enabled, int maxRequests, int maxRangeBytes, Duration connectTimeout,
                       Duration requestTimeout, int maxRedirects, int maxRetries, Duration firstBackoff,
                       int maxSeedsPerTorrent, Duration firstReconnect) {
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    static final Duration MAX_RECONNECT = Duration.ofMinutes(30);

    static final WebSeedSettings DEFAULTS = new WebSeedSettings(true, 4, 1 << 20, Duration.ofSeconds(10),
            Duration.ofSeconds(20), 5, 5, Duration.ofSeconds(1), 8, Duration.ofSeconds(30));

    WebSeedSettings(boolean enabled, int maxRequests, int maxRangeBytes, Duration connectTimeout,
                    Duration requestTimeout, int maxRedirects, int maxRetries, Duration firstBackoff,
                    int maxSeedsPerTorrent) {
        this(enabled, maxRequests, maxRangeBytes, connectTimeout, requestTimeout, maxRedirects, maxRetries, firstBackoff,
                maxSeedsPerTorrent, DEFAULTS.firstReconnect());
    }

    /** The wait before connecting again after the {@code drops}-th drop in a row. */
    Duration reconnect(int drops) {
        long millis = firstReconnect.toMillis() << Math.min(20, Math.max(0, drops - 1));
        return Duration.ofMillis(Math.min(millis, MAX_RECONNECT.toMillis()));
    }

    /** The pause after the {@code failures}-th failure in a row: doubling, at most {@link #MAX_BACKOFF}. */
    Duration backoff(int failures, long retryAfterSeconds) {
        long millis = firstBackoff.toMillis() << Math.min(20, Math.max(0, failures - 1));
        millis = Math.max(millis, retryAfterSeconds * 1000);
        return Duration.ofMillis(Math.min(millis, Math.max(MAX_BACKOFF.toMillis(), retryAfterSeconds * 1000)));
    }
}
