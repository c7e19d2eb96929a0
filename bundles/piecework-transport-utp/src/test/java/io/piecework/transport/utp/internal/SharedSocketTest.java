package io.piecework.transport.utp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.channel.EventLoopGroup;
import io.piecework.api.udp.SharedUdpSocket;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The endpoint's socket shared by first byte, over real UDP on loopback: what starts with
 * {@code d} goes to the claimant and never to uTP's parser, the rest is uTP's; garbage of either
 * kind is dropped and counted on its own side, and a claimant that throws breaks nothing.
 */
class SharedSocketTest {
    private final EventLoopGroup group = UdpIo.newGroup(1);

    @AfterEach
    void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Binds a shared endpoint on a port free now (the share needs its port before binding). */
    private UtpEndpoint bindShared(UdpShare[] share) throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            port = probe.getLocalPort();
        }
        share[0] = new UdpShare(new InetSocketAddress("127.0.0.1", port));
        return UtpEndpoint.bind(group, share[0].localAddress(), s -> null, 4, null, share[0]);
    }

    @Test
    void krpcGoesToItsClaimantAndTheRestToUtp() throws Exception {
        UdpShare[] share = new UdpShare[1];
        BlockingQueue<String> krpc = new LinkedBlockingQueue<>();
        try (UtpEndpoint endpoint = bindShared(share);
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            share[0].claim(SharedUdpSocket.KRPC, (d, from) -> {
                byte[] b = new byte[d.remaining()];
                d.get(b);
                krpc.add(new String(b, StandardCharsets.US_ASCII) + " from " + from.getPort());
            });
            InetSocketAddress at = endpoint.localAddress();
            send(peer, "d1:y1:qe", at);               // KRPC-shaped: the claimant's
            send(peer, "dgarbage that is not bencode", at); // malformed KRPC: still the claimant's to judge
            send(peer, "\u0041\u0002 not uTP", at);     // a SYN's first byte, malformed: uTP's, counted
            send(peer, "x", at);                        // neither: uTP's, counted
            assertEquals("d1:y1:qe from " + peer.getLocalPort(), krpc.poll(10, TimeUnit.SECONDS));
            assertEquals("dgarbage that is not bencode from " + peer.getLocalPort(), krpc.poll(10, TimeUnit.SECONDS));

            // The claimant sends through the socket: the datagram comes from the shared port.
            share[0].send(ByteBuffer.wrap("d1:y1:re".getBytes(StandardCharsets.US_ASCII)),
                    new InetSocketAddress("127.0.0.1", peer.getLocalPort()));
            peer.setSoTimeout(10_000);
            DatagramPacket in = new DatagramPacket(new byte[64], 64);
            peer.receive(in);
            assertEquals(at.getPort(), in.getPort());
            assertEquals("d1:y1:re", new String(in.getData(), 0, in.getLength(), StandardCharsets.US_ASCII));

            awaitMalformed(endpoint, 2);
            assertEquals(0, krpc.size(), "nothing but 'd' reached the claimant");
        }
    }

    @Test
    void aClaimantThatThrowsLosesItsDatagramAndTheSocketGoesOn() throws Exception {
        UdpShare[] share = new UdpShare[1];
        BlockingQueue<String> krpc = new LinkedBlockingQueue<>();
        try (UtpEndpoint endpoint = bindShared(share);
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            share[0].claim(SharedUdpSocket.KRPC, (d, from) -> {
                if (d.remaining() < 3) {
                    throw new IllegalStateException("a parser bug");
                }
                krpc.add("ok");
            });
            send(peer, "d", endpoint.localAddress());
            send(peer, "dok", endpoint.localAddress());
            assertEquals("ok", krpc.poll(10, TimeUnit.SECONDS));
            assertEquals(1, share[0].dropped());
            assertEquals(0, endpoint.malformed(), "a claimed datagram never reaches uTP's parser");
        }
    }

    @Test
    void utpFirstBytesCannotBeClaimedNorOneByteTwice() {
        UdpShare share = new UdpShare(new InetSocketAddress("127.0.0.1", 6881));
        for (PacketType type : PacketType.values()) {
            byte first = (byte) (type.code() << 4 | UtpCodec.VERSION);
            assertThrows(IllegalStateException.class, () -> share.claim(first, (d, f) -> { }));
        }
        SharedUdpSocket.Claim claim = share.claim(SharedUdpSocket.KRPC, (d, f) -> { });
        assertThrows(IllegalStateException.class, () -> share.claim(SharedUdpSocket.KRPC, (d, f) -> { }));
        claim.close();
        share.claim(SharedUdpSocket.KRPC, (d, f) -> { }).close(); // free again
        assertThrows(IllegalArgumentException.class, () -> new UdpShare(new InetSocketAddress("127.0.0.1", 0)));
    }

    /**
     * Sends a STATE for no connection and waits for its RESET: the socket reads in order, so
     * what was sent to it before has been read by then.
     */
    private static void awaitMalformed(UtpEndpoint endpoint, long expected) throws Exception {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            probe.setSoTimeout(10_000);
            byte[] state = UtpCodec.encode(Packet.control(PacketType.STATE, 7, 0, 0, 0, 1, 1)).array();
            probe.send(new DatagramPacket(state, state.length, endpoint.localAddress()));
            probe.receive(new DatagramPacket(new byte[64], 64));
        }
        assertEquals(expected, endpoint.malformed());
    }

    private static void send(DatagramSocket from, String text, InetSocketAddress to) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        from.send(new DatagramPacket(b, b.length, to));
    }
}
