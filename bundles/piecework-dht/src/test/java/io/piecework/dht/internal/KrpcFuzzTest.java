package io.piecework.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.dht.KrpcCodec;
import io.piecework.dht.KrpcException;
import io.piecework.dht.KrpcMessage;
import io.piecework.dht.NodeId;
import io.piecework.dht.NodeInfo;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated KRPC packets, to the codec and to a live node from many addresses: the
 * codec throws nothing but {@link KrpcException}, the node never throws, its table, store,
 * limiter and pending queries stay bounded, and it still answers a valid ping afterwards.
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
    void codecThrowsOnlyKrpcExceptionAndBoundsWhatItReturns() {
        Random r = new Random(1);
        List<byte[]> seeds = seeds();
        int accepted = 0;
        for (int i = 0; i < ROUNDS; i++) {
            byte[] in = input(i, seeds, r);
            try {
                KrpcMessage m = KrpcCodec.decode(ByteBuffer.wrap(in));
                accepted++;
                assertTrue(m.transaction().length >= 1 && m.transaction().length <= KrpcCodec.MAX_TRANSACTION);
                if (m instanceof KrpcMessage.Response resp) {
                    assertTrue(resp.nodes().size() <= KrpcCodec.MAX_NODES && resp.values().size() <= KrpcCodec.MAX_VALUES);
                    assertTrue(resp.token() == null || resp.token().length <= KrpcCodec.MAX_TOKEN);
                } else if (m instanceof KrpcMessage.Query q) {
                    assertTrue(q.token() == null || (q.token().length >= 1 && q.token().length <= KrpcCodec.MAX_TOKEN));
                    assertTrue(q.method().length() <= KrpcCodec.MAX_METHOD);
                }
            } catch (KrpcException expected) {
                // refused
            } catch (RuntimeException e) {
                throw new AssertionError("decoder threw on " + HexFormat.of().formatHex(in), e);
            }
        }
        assertTrue(accepted > ROUNDS / 20, "accepted " + accepted);
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
}
