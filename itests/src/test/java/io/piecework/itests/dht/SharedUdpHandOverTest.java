package io.piecework.itests.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.piecework.api.udp.SharedUdpSocket;
import io.piecework.dht.KrpcCodec;
import io.piecework.dht.KrpcMessage;
import io.piecework.dht.NodeId;
import io.piecework.dht.internal.DhtPeerSource;
import io.piecework.dht.internal.DhtSettings;
import io.piecework.itests.support.UtpDial;
import io.piecework.transport.utp.internal.UtpPeerTransport;
import io.piecework.transport.utp.internal.UtpSettings;
import io.piecework.wire.PeerId;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * The start order the framework may choose: the DHT holds the port in a socket of its own when
 * uTP comes. uTP offers its socket before binding; the DHT (in a framework, SCR restarting it on
 * its greedy reference; here the offer does the same by hand) lets go of the port and moves onto
 * uTP's socket, and uTP binds. Both then serve one port, and when uTP goes the DHT gets its own
 * socket back on it.
 */
class SharedUdpHandOverTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void aDhtHoldingThePortMovesOntoUtpsSocket() throws Exception {
        DhtPeerSource[] dht = {new DhtPeerSource(DhtSettings.loopback())};
        int port = dht[0].port();
        DhtSettings onPort = settings(port);
        dht[0].close();
        dht[0] = new DhtPeerSource(onPort); // holds the port, as a DHT started first does
        assertEquals(port, dht[0].port());
        InetSocketAddress at = new InetSocketAddress(LOOPBACK, port);
        UtpPeerTransport utp = new UtpPeerTransport(UtpSettings.defaults().withListen("127.0.0.1", port),
                PeerId.generate(new Random(1)), -1, RoaringBitmap::new, socket -> {
                    restart(dht, onPort, socket);
                    return () -> restart(dht, onPort, null);
                });
        try {
            assertEquals(port, utp.port());
            assertEquals(port, dht[0].port());
            assertInstanceOf(KrpcMessage.Response.class, ping(at));
            UtpDial.accepted(at, 30);
        } finally {
            utp.close();
        }
        assertEquals(port, dht[0].port(), "uTP gone, the DHT has a socket of its own on the port again");
        assertInstanceOf(KrpcMessage.Response.class, ping(at));
        dht[0].close();
    }

    /** What SCR does with the DHT when the shared socket comes or goes: a new node on the other socket. */
    private static void restart(DhtPeerSource[] dht, DhtSettings settings, SharedUdpSocket socket) {
        dht[0].close();
        try {
            dht[0] = new DhtPeerSource(settings, socket);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static DhtSettings settings(int port) {
        DhtSettings d = DhtSettings.loopback();
        return new DhtSettings(port, d.bindAddress(), d.bootstrap(), d.readOnly(), d.announceInterval(),
                d.queryTimeout(), d.queriesPerSecond(), d.queryBurst(), d.maxPending(), d.maxTorrents(),
                d.maxPeersPerTorrent(), d.peerTtl(), null);
    }

    /** A ping's answer; asked again each second for at most 30 s (the node pings us back: skipped). */
    private static KrpcMessage ping(InetSocketAddress to) throws Exception {
        byte[] ping = KrpcCodec.ping(new byte[] {9}, NodeId.random(new Random(2)), false);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            socket.setSoTimeout(1000);
            for (int attempt = 0; attempt < 30; attempt++) {
                socket.send(new DatagramPacket(ping, ping.length, to));
                DatagramPacket in = new DatagramPacket(new byte[4096], 4096);
                try {
                    KrpcMessage m;
                    do {
                        socket.receive(in);
                        m = KrpcCodec.decode(ByteBuffer.wrap(in.getData(), 0, in.getLength()));
                    } while (m instanceof KrpcMessage.Query);
                    return m;
                } catch (SocketTimeoutException e) {
                    // lost: ask again
                }
            }
        }
        throw new AssertionError("no DHT answer on " + to);
    }
}
