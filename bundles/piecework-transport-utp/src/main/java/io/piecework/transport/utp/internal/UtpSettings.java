package io.piecework.transport.utp.internal;

import io.piecework.wire.WireLimits;

/**
 * The uTP transport's configuration in plain form, for the DS component and for tests.
 *
 * @param listenPort     0: the TCP transport's port (a free one when there is none), -1: do not listen
 * @param maxConnections uTP connections at once, incoming and outgoing
 */
public record UtpSettings(String listenAddress, int listenPort, int maxConnections, int handshakeTimeoutMillis,
                          int keepAliveIntervalMillis, int idleTimeoutMillis, WireLimits limits,
                          int writeLowWaterMark, int writeHighWaterMark, boolean dht) {
    public static UtpSettings defaults() {
        return new UtpSettings("0.0.0.0", 0, 500, 10_000, 60_000, 180_000, WireLimits.DEFAULT,
                256 * 1024, 1024 * 1024, false);
    }

    public UtpSettings withListen(String address, int port) {
        return new UtpSettings(address, port, maxConnections, handshakeTimeoutMillis, keepAliveIntervalMillis,
                idleTimeoutMillis, limits, writeLowWaterMark, writeHighWaterMark, dht);
    }

    public UtpSettings withLimits(int maxConnections, int handshakeTimeoutMillis) {
        return new UtpSettings(listenAddress, listenPort, maxConnections, handshakeTimeoutMillis,
                keepAliveIntervalMillis, idleTimeoutMillis, limits, writeLowWaterMark, writeHighWaterMark, dht);
    }

    static UtpSettings from(UtpPeerTransport.Config c) {
        return new UtpSettings(c.listen_address(), c.listen_port() < 0 ? -1 : 0, c.utp_max_connections(),
                c.handshake_timeout_ms(), c.keepalive_interval_ms(), c.idle_timeout_ms(),
                new WireLimits(c.max_message_length(), WireLimits.BLOCK_LENGTH), 256 * 1024, 1024 * 1024, c.dht());
    }
}
