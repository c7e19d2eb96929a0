package io.piecework.wire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * A configuration change reaches the running transport (its @Modified): before, any change
 * restarted the component, and with it the engine and every running torrent.
 */
class LiveTransportSettingsTest {
    private NettyPeerTransport transport;

    @AfterEach
    void close() {
        if (transport != null) {
            transport.close();
        }
    }

    @Test
    void aNewPortIsBoundAndTheOldOneClosedWhileRunning() throws Exception {
        transport = new NettyPeerTransport(TransportSettings.defaults().withListen("127.0.0.1", 0), RoaringBitmap::new);
        int before = transport.port();
        new Socket("127.0.0.1", before).close();

        transport.apply(TransportSettings.defaults().withListen("127.0.0.1", freePort()));
        int after = transport.port();
        assertNotEquals(before, after);
        new Socket("127.0.0.1", after).close();
        // The old port is free again: a listener can take it (a connection attempt could meet a
        // self-connect on an ephemeral port, or another process's new listener).
        new ServerSocket(before, 1, java.net.InetAddress.getLoopbackAddress()).close();

        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            transport.apply(TransportSettings.defaults().withListen("127.0.0.1", taken.getLocalPort()));
            assertEquals(after, transport.port(), "a port that cannot be bound leaves the listener as it was");
        }
        transport.apply(TransportSettings.defaults().withListen("127.0.0.1", -1));
        assertEquals(-1, transport.port());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
