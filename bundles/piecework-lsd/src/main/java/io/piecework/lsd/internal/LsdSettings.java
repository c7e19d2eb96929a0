package io.piecework.lsd.internal;

import java.time.Duration;
import java.util.List;

/**
 * How LSD runs, from the component's configuration.
 *
 * @param interfaces IPv4 addresses or interface names to announce and listen on; empty: every
 *                   interface that is up, multicast-capable and not loopback
 */
record LsdSettings(boolean enabled, String group, int port, List<String> interfaces, Duration interval,
                   Duration gap, int ttl, int inboundPerSecond) {
    /** The Host header: the group announced to, as the BEP writes it. */
    String hostHeader() {
        return group + ":" + port;
    }
}
