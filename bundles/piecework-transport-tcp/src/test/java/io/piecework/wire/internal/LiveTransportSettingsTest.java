package io.piecework.wire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertTrue(before > 0);

        transport.apply(TransportSettings.defaults().withListen("127.0.0.1", freePort()));
        int after = transport.port();
        assertNotEquals(before, after);
        new Socket("127.0.0.1", after).close();
        // The old port is free again: a listener can take it. (Not a connection attempt, which can
        // self-connect on an ephemeral port.) The JDK lets go of a closed channel's socket at the
        // event loop's next select, so the port frees a moment after the close completes.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> canListenOn(before));

        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            transport.apply(TransportSettings.defaults().withListen("127.0.0.1", taken.getLocalPort()));
            assertEquals(after, transport.port(), "a port that cannot be bound leaves the listener as it was");
        }
        transport.apply(TransportSettings.defaults().withListen("127.0.0.1", -1));
        assertEquals(-1, transport.port());
    }

    private static boolean canListenOn(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
