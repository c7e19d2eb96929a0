package io.piecework.wire.internal;

import io.piecework.wire.WireLimits;

/**
 * The transport's configuration in plain form, for the DS component and for tests.
 *
 * @param listenPort       0 picks a free port, -1 does not listen
 * @param nativeTransport  epoll where it loads, else NIO; false: always NIO
 */
public record TransportSettings(String listenAddress, int listenPort, int eventLoopThreads, int connectTimeoutMillis,
                                int handshakeTimeoutMillis, int keepAliveIntervalMillis, int idleTimeoutMillis,
                                WireLimits limits, int writeLowWaterMark, int writeHighWaterMark, boolean dht,
                                boolean nativeTransport) {
    public static TransportSettings defaults() {
        return new TransportSettings("0.0.0.0", 6881, 2, 10_000, 10_000, 60_000, 180_000, WireLimits.DEFAULT,
                256 * 1024, 1024 * 1024, false, true);
    }

    public TransportSettings withListen(String address, int port) {
        return new TransportSettings(address, port, eventLoopThreads, connectTimeoutMillis, handshakeTimeoutMillis,
                keepAliveIntervalMillis, idleTimeoutMillis, limits, writeLowWaterMark, writeHighWaterMark, dht,
                nativeTransport);
    }

    public TransportSettings withTimeouts(int connect, int handshake, int keepAlive, int idle) {
        return new TransportSettings(listenAddress, listenPort, eventLoopThreads, connect, handshake, keepAlive, idle,
                limits, writeLowWaterMark, writeHighWaterMark, dht,
                nativeTransport);
    }

    public TransportSettings withWaterMarks(int low, int high) {
        return new TransportSettings(listenAddress, listenPort, eventLoopThreads, connectTimeoutMillis,
                handshakeTimeoutMillis, keepAliveIntervalMillis, idleTimeoutMillis, limits, low, high, dht, nativeTransport);
    }

    public TransportSettings withNativeTransport(boolean on) {
        return new TransportSettings(listenAddress, listenPort, eventLoopThreads, connectTimeoutMillis,
                handshakeTimeoutMillis, keepAliveIntervalMillis, idleTimeoutMillis, limits, writeLowWaterMark,
                writeHighWaterMark, dht, on);
    }

    static TransportSettings from(NettyPeerTransport.Config c) {
        return new TransportSettings(c.listen_address(), c.listen_port(), c.event_loop_threads(),
                c.connect_timeout_ms(), c.handshake_timeout_ms(), c.keepalive_interval_ms(), c.idle_timeout_ms(),
                new WireLimits(c.max_message_length(), WireLimits.BLOCK_LENGTH), 256 * 1024, 1024 * 1024, c.dht(),
                c.native_transport());
    }
}
