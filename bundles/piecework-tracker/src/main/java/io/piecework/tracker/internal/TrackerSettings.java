package io.piecework.tracker.internal;

import io.piecework.tracker.TrackerLimits;
import java.time.Duration;

/**
 * The tracker client's configuration in plain types, so tests can build it directly.
 *
 * @param numWant            peers asked for per announce
 * @param httpTimeout        connect and whole-request timeout of an HTTP announce or scrape
 * @param maxRedirects       HTTP redirects followed (http and https only)
 * @param udpRetransmitBase  a request is resent after base * 2^n (BEP 15: 15 s; default 3 s)
 * @param udpMaxRetransmits  n goes up to this; after that the exchange fails (BEP 15: 8; default 2,
 *                           so a dead UDP tracker costs about 21 s instead of about two hours)
 * @param udpConnectionTtl   how long a UDP connection id is used (BEP 15: one minute)
 * @param defaultInterval    announce interval when a tracker does not give one
 * @param minInterval        floor under any tracker's interval, and the least time between
 *                           announces when a tracker gives no min interval
 * @param retryInterval      first wait after every tracker failed; doubles up to defaultInterval
 * @param stopTimeout        how long deactivation waits for the stopped announces
 * @param bindAddress        local address of the UDP tracker socket; empty: every address, IPv4 and IPv6
 */
public record TrackerSettings(int numWant, Duration httpTimeout, int maxRedirects, Duration udpRetransmitBase,
                              int udpMaxRetransmits, Duration udpConnectionTtl, Duration defaultInterval,
                              Duration minInterval, Duration retryInterval, Duration stopTimeout,
                              TrackerLimits limits, String bindAddress) {
    public static final TrackerSettings DEFAULT = new TrackerSettings(50, Duration.ofSeconds(30), 5,
            Duration.ofSeconds(3), 2, Duration.ofSeconds(60), Duration.ofMinutes(30), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(5), TrackerLimits.DEFAULT, "");

    public TrackerSettings {
        bindAddress = bindAddress == null ? "" : bindAddress.strip();
    }

    /** Settings that bind the UDP socket to every address. */
    public TrackerSettings(int numWant, Duration httpTimeout, int maxRedirects, Duration udpRetransmitBase,
                           int udpMaxRetransmits, Duration udpConnectionTtl, Duration defaultInterval,
                           Duration minInterval, Duration retryInterval, Duration stopTimeout, TrackerLimits limits) {
        this(numWant, httpTimeout, maxRedirects, udpRetransmitBase, udpMaxRetransmits, udpConnectionTtl,
                defaultInterval, minInterval, retryInterval, stopTimeout, limits, "");
    }

    public TrackerSettings withBindAddress(String address) {
        return new TrackerSettings(numWant, httpTimeout, maxRedirects, udpRetransmitBase, udpMaxRetransmits,
                udpConnectionTtl, defaultInterval, minInterval, retryInterval, stopTimeout, limits, address);
    }

    static TrackerSettings from(TrackerPeerSource.Config c) {
        return from(c, null);
    }

    /**
     * @param transportAddress the peer transport's {@code listen.address}, if configured: the
     *                         UDP socket's address when the tracker names none and it is not a wildcard
     */
    static TrackerSettings from(TrackerPeerSource.Config c, Object transportAddress) {
        String bind = c.bind_address().strip();
        if (bind.isEmpty() && transportAddress instanceof String t && !isWildcard(t.strip())) {
            bind = t.strip();
        }
        return new TrackerSettings(c.numwant(), Duration.ofMillis(c.http_timeout_ms()), c.max_redirects(),
                Duration.ofMillis(c.udp_retransmit_base_ms()), c.udp_max_retransmits(),
                Duration.ofSeconds(60), Duration.ofSeconds(c.default_interval_s()),
                Duration.ofSeconds(c.min_interval_s()), Duration.ofSeconds(c.retry_interval_s()),
                Duration.ofMillis(c.stop_timeout_ms()),
                new TrackerLimits(c.max_response_bytes(), c.max_peers(), 512), bind);
    }

    private static boolean isWildcard(String address) {
        return address.isEmpty() || address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]")
                || address.equals("0:0:0:0:0:0:0:0");
    }

    /** BEP 15's wait before resending attempt {@code n} (0-based). */
    Duration udpTimeout(int n) {
        return udpRetransmitBase.multipliedBy(1L << Math.min(n, 30));
    }
}
