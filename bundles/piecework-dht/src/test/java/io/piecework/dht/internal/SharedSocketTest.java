package io.piecework.dht.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.piecework.api.udp.SharedUdpSocket;
import io.piecework.dht.KrpcCodec;
import io.piecework.dht.KrpcMessage;
import io.piecework.dht.NodeId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The IPv4 node on a socket it shares (uTP's, in a framework), here a fake that records what is
 * sent and hands in what a test gives it: the node claims KRPC's first byte, answers over the
 * shared socket, reports its port, drops malformed and oversized datagrams (counted), and gives
 * the byte back when it closes. A socket on another port than the configured one is not taken.
 */
class SharedSocketTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40_000);

    /** A shared socket that records sends and holds the claimant. */
    private static final class FakeShared implements SharedUdpSocket {
        final InetSocketAddress local;
        final BlockingQueue<byte[]> sent = new LinkedBlockingQueue<>();
        volatile Receiver krpc;

        FakeShared(int port) {
            local = new InetSocketAddress("127.0.0.1", port);
        }

        @Override
        public InetSocketAddress localAddress() {
            return local;
        }

        @Override
        public Claim claim(byte firstByte, Receiver receiver) {
            assertEquals('d', firstByte);
            krpc = receiver;
            return () -> krpc = null;
        }

        @Override
        public void send(ByteBuffer datagram, InetSocketAddress to) {
            byte[] b = new byte[datagram.remaining()];
            datagram.get(b);
            sent.add(b);
        }

        void deliver(byte[] datagram) {
            krpc.datagram(ByteBuffer.wrap(datagram), PEER);
        }

        /** The response with {@code tx} among what was sent (the node also pings us back), or null. */
        KrpcMessage.Response response(byte[] tx) throws Exception {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < end) {
                byte[] out = sent.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (out != null && KrpcCodec.decode(ByteBuffer.wrap(out)) instanceof KrpcMessage.Response r
                        && Arrays.equals(tx, r.transaction())) {
                    return r;
                }
            }
            return null;
        }
    }

    private static byte[] ping(int tx) {
        return KrpcCodec.ping(new byte[] {(byte) tx}, NodeId.random(new Random(tx)), false);
    }

    @Test
    void theNodeAnswersOverTheSharedSocketAndDropsWhatIsMalformed() throws Exception {
        FakeShared shared = new FakeShared(45_678);
        try (DhtPeerSource dht = new DhtPeerSource(DhtSettings.loopback(), shared)) {
            assertEquals(45_678, dht.port(), "the node is on the shared port");
            assertNotNull(shared.krpc);
            shared.deliver(ping(1));
            assertNotNull(shared.response(new byte[] {1}));

            Node node = dht.node().node();
            long before = node.dropped.sum();
            shared.deliver("d3:not bencode".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] huge = new byte[KrpcCodec.MAX_PACKET + 500];
            System.arraycopy(ping(2), 0, huge, 0, ping(2).length);
            shared.deliver(huge);
            await().atMost(Duration.ofSeconds(10)).until(() -> node.dropped.sum() >= before + 2);
            assertEquals(before + 2, node.dropped.sum());
            shared.deliver(ping(3));
            assertNotNull(shared.response(new byte[] {3}), "still answering after the garbage");
        }
        assertNull(shared.krpc, "closing gives the first byte back");
    }

    @Test
    void eachFamilyIsToldItsOwnDhtPort() throws Exception {
        FakeShared shared = new FakeShared(45_680);
        try (DhtPeerSource dht = new DhtPeerSource(DhtSettings.loopback().withBindAddresses("127.0.0.1", "::1"),
                shared)) {
            assertEquals(45_680, dht.portFor(java.net.InetAddress.getByName("127.0.0.5")));
            int port6 = dht.node().port6();
            assertNotEquals(0, port6, "an IPv6 node on ::1");
            assertEquals(port6, dht.portFor(java.net.InetAddress.getByName("::1")));
        }
        try (DhtPeerSource v6only = new DhtPeerSource(DhtSettings.loopback6())) {
            assertEquals(0, v6only.portFor(java.net.InetAddress.getByName("127.0.0.5")), "no IPv4 DHT: no port");
        }
    }

    @Test
    void aSharedSocketOnAnotherPortIsNotTaken() throws Exception {
        FakeShared shared = new FakeShared(45_679);
        DhtSettings own = DhtSettings.loopback();
        int port;
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            port = probe.getLocalPort();
        }
        DhtSettings onPort = new DhtSettings(port, own.bindAddress(), own.bootstrap(), own.readOnly(),
                own.announceInterval(), own.queryTimeout(), own.queriesPerSecond(), own.queryBurst(), own.maxPending(),
                own.maxTorrents(), own.maxPeersPerTorrent(), own.peerTtl(), null);
        try (DhtPeerSource dht = new DhtPeerSource(onPort, shared)) {
            assertNotEquals(45_679, dht.port());
            assertNull(shared.krpc, "not claimed");
        }
    }
}
