package io.piecework.lsd.internal;

import java.time.Duration;
import java.util.List;

/**
 * How LSD runs, from the component's configuration.
 *
 * @param interfaces interface names, IPv4 or IPv6 addresses to announce and listen on; empty:
 *                   every interface that is up, multicast-capable and not loopback
 * @param group6     the BEP's IPv6 group (ff15::efc0:988f), announced on the interfaces that
 *                   have an IPv6 address; empty: IPv4 only
 */
record LsdSettings(boolean enabled, String group, int port, List<String> interfaces, Duration interval,
                   Duration gap, int ttl, int inboundPerSecond, String group6) {
    static final String GROUP6 = "ff15::efc0:988f";

    LsdSettings {
        group6 = group6 == null ? "" : group6.trim();
    }

    /** IPv4 only. */
    LsdSettings(boolean enabled, String group, int port, List<String> interfaces, Duration interval, Duration gap,
                int ttl, int inboundPerSecond) {
        this(enabled, group, port, interfaces, interval, gap, ttl, inboundPerSecond, "");
    }

    /** The Host header: the group announced to, as the BEP writes it. */
    String hostHeader() {
        return group + ":" + port;
    }

    /** The Host header of IPv6 announces: {@code [ff15::efc0:988f]:6771}, as the BEP writes it. */
    String hostHeader6() {
        return "[" + group6 + "]:" + port;
    }
}
