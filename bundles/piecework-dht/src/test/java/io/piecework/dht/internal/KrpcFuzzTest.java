package io.piecework.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.dht.KrpcCodec;
import io.piecework.dht.KrpcMessage;
import io.piecework.dht.NodeId;
import io.piecework.dht.NodeInfo;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated KRPC packets to a live node from many addresses (the codec alone is fuzzed
 * coverage-guided by KrpcCodecFuzzTest): the node never throws, its table, store,
 * limiter and pending queries stay bounded, and it still answers a valid ping afterwards; and
 * the same garbage over a real UDP socket leaves a running node answering ping and find_node.
 */
class KrpcFuzzTest {
    private static final int ROUNDS = 30_000;
    private final SimNetwork net = new SimNetwork();

    @AfterEach
    void close() {
        net.close();
    }

    private static List<byte[]> seeds() {
        Random r = new Random(4);
        NodeId a = NodeId.random(r);
        NodeId b = NodeId.random(r);
        byte[] tx = {'a', 'a'};
        List<NodeInfo> nodes = List.of(new NodeInfo(b, new InetSocketAddress("10.1.2.3", 6881)),
                new NodeInfo(a, new InetSocketAddress("10.1.2.4", 6882)));
        return List.of(KrpcCodec.ping(tx, a, false), KrpcCodec.findNode(tx, a, b, true), KrpcCodec.getPeers(tx, a, b, false),
                KrpcCodec.announcePeer(tx, a, b, 6881, new byte[8], true, false),
                KrpcCodec.response(tx, a, nodes, List.of(new InetSocketAddress("10.0.0.1", 1)), new byte[] {1, 2, 3}),
                KrpcCodec.error(tx, 201, "generic"));
    }

    /** Changes one to four spots: a random byte, a digit (breaks lengths), a cut, or a repeated run. */
    static byte[] mutate(byte[] seed, Random r) {
        List<Byte> b = new ArrayList<>(seed.length + 8);
        for (byte x : seed) {
            b.add(x);
        }
        for (int n = 1 + r.nextInt(4); n > 0 && !b.isEmpty(); n--) {
            int at = r.nextInt(b.size());
            int kind = r.nextInt(4);
            if (kind == 0) {
                b.set(at, (byte) r.nextInt(256));
            } else if (kind == 1) {
                b.set(at, (byte) ('0' + r.nextInt(10)));
            } else if (kind == 2) {
                b.subList(at, Math.min(b.size(), at + 1 + r.nextInt(3))).clear();
            } else {
                b.addAll(at, new ArrayList<>(b.subList(at, Math.min(b.size(), at + 1 + r.nextInt(12)))));
            }
        }
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return out;
    }

    private static byte[] input(int i, List<byte[]> seeds, Random r) {
        if (i % 10 == 0) {
            byte[] junk = new byte[r.nextInt(300)];
            r.nextBytes(junk);
            return junk;
        }
        return mutate(seeds.get(i % seeds.size()), r);
    }

    @Test
    void nodeSurvivesHostilePacketsFromManyAddressesAndKeepsAnswering() throws Exception {
        Node node = net.add(1, DhtSettings.loopback());
        Random r = new Random(2);
        List<byte[]> seeds = seeds();
        net.on(() -> {
            for (int i = 0; i < ROUNDS; i++) {
                byte[] in = input(i, seeds, r);
                InetSocketAddress from = new InetSocketAddress("10." + r.nextInt(4) + "." + r.nextInt(256) + "." + r.nextInt(256),
                        1 + r.nextInt(65_535));
                try {
                    node.receive(from, ByteBuffer.wrap(in));
                } catch (RuntimeException e) {
                    throw new AssertionError("node threw on " + HexFormat.of().formatHex(in), e);
                }
            }
            return null;
        });
        assertTrue(net.on(() -> node.table().size()) <= 160 * RoutingTable.K);
        assertTrue(net.on(() -> node.store().peerCount()) <= DhtSettings.loopback().maxTorrents());
        assertTrue(net.on(node::rateLimitedSources) <= 4096);
        assertTrue(net.on(node::pendingCount) <= DhtSettings.loopback().maxPending());
        int largest = net.on(() -> net.sent.stream().mapToInt(b -> b.length).max().orElse(0));
        assertTrue(largest <= Node.MAX_REPLY, "largest datagram " + largest);

        Node client = net.add(2, DhtSettings.loopback());
        KrpcMessage.Response pong = net.on(() -> client.ping(SimNetwork.address(1))).get(10, TimeUnit.SECONDS);
        assertEquals(node.id(), pong.id());
    }

    @Test
    void responsesNobodyAskedForAreDropped() throws Exception {
        Node node = net.add(3, DhtSettings.loopback());
        byte[] forged = KrpcCodec.response(new byte[] {9, 9}, NodeId.random(new Random(6)),
                List.of(new NodeInfo(NodeId.random(new Random(7)), new InetSocketAddress("10.9.9.9", 1))), List.of(), null);
        net.on(() -> {
            node.receive(new InetSocketAddress("10.9.9.8", 1), ByteBuffer.wrap(forged));
            return null;
        });
        assertEquals(0, (int) net.on(() -> node.table().size()));
        assertEquals(1, node.dropped.sum());
    }

    @Test
    void aNodeOnARealSocketStillAnswersPingAndFindNodeAfterGarbage() throws Exception {
        // A limit no test reaches: every packet gets to the decoder and the handlers.
        DhtSettings settings = DhtSettings.loopback().withRateLimit(1_000_000, 1_000_000);
        try (DhtPeerSource source = new DhtPeerSource(settings);
             DatagramSocket hostile = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", source.port());
            Random r = new Random(8);
            List<byte[]> seeds = seeds();
            NodeId id = source.node().id();
            NodeId me = NodeId.random(r);
            for (int i = 0; i < ROUNDS / 3; i++) {
                byte[] in = input(i, seeds, r);
                hostile.send(new DatagramPacket(in, in.length, to));
                if (i % 100 == 99) {
                    // Batches small enough for the socket's buffer, so the garbage reaches the node.
                    byte[] tx = {'p', (byte) (i / 100)};
                    assertEquals(id, ask(client, to, KrpcCodec.ping(tx, me, false)).id(), "after " + (i + 1));
                }
            }
            KrpcMessage.Response found = ask(client, to, KrpcCodec.findNode(new byte[] {'f', 2}, me, NodeId.random(r), false));
            assertEquals(id, found.id());
            assertTrue(found.nodes().size() <= RoutingTable.K, "nodes " + found.nodes().size());
            // The garbage did reach the node (pings answered after each batch) and was refused:
            // about 95 % here; half leaves room for what the kernel drops.
            assertTrue(source.node().node().dropped.sum() > ROUNDS / 6, "dropped " + source.node().node().dropped.sum());
        }
    }

    /**
     * Sends {@code query} until the node answers it (UDP may drop the query while the node's
     * buffer is full of garbage); other datagrams are skipped. Fails after ten seconds.
     */
    private static KrpcMessage.Response ask(DatagramSocket s, InetSocketAddress to, byte[] query) throws Exception {
        byte[] tx = ((KrpcMessage.Query) KrpcCodec.decode(ByteBuffer.wrap(query))).transaction();
        s.setSoTimeout(500);
        byte[] buf = new byte[2048];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            s.send(new DatagramPacket(query, query.length, to));
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                s.receive(p);
                KrpcMessage m = KrpcCodec.decode(ByteBuffer.wrap(p.getData(), 0, p.getLength()));
                if (m instanceof KrpcMessage.Response resp && Arrays.equals(tx, resp.transaction())) {
                    return resp;
                }
            } catch (SocketTimeoutException again) {
                // ask again
            }
        }
        throw new AssertionError("no answer to " + HexFormat.of().formatHex(query) + " within 10 s");
    }
}
