package io.piecework.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.dht.KrpcCodec;
import io.piecework.dht.KrpcMessage;
import io.piecework.dht.NodeId;
import io.piecework.dht.NodeInfo;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A paired IPv4/IPv6 node without sockets: BEP 32 want, family checks, hostile nodes6. */
class Node6Test {
    private final ScheduledThreadPoolExecutor loop = new ScheduledThreadPoolExecutor(1);
    private final Random random = new Random(32);
    private final NodeId id = NodeId.random(random);
    private final List<byte[]> sent4 = new ArrayList<>();
    private final List<byte[]> sent6 = new ArrayList<>();
    private final Node v4 = new Node(DhtSettings.loopback(), false, id, loop, (to, d) -> sent4.add(d), random,
            System::nanoTime);
    private final Node v6 = new Node(DhtSettings.loopback(), true, id, loop, (to, d) -> sent6.add(d), random,
            System::nanoTime);
    private final InetSocketAddress asker6 = new InetSocketAddress("2001:db8::7", 6881);

    @AfterEach
    void stop() {
        loop.shutdownNow();
    }

    private <T> T on(java.util.concurrent.Callable<T> task) throws Exception {
        return loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    private KrpcMessage.Response lastReply(List<byte[]> sent) throws Exception {
        return (KrpcMessage.Response) KrpcCodec.decode(ByteBuffer.wrap(sent.get(sent.size() - 1)));
    }

    @Test
    void wantDecidesWhichFamiliesNodesAReplyCarries() throws Exception {
        Node.pair(v4, v6);
        NodeInfo four = new NodeInfo(NodeId.random(random), new InetSocketAddress("10.0.0.4", 1));
        NodeInfo six = new NodeInfo(NodeId.random(random), new InetSocketAddress("2001:db8::6", 1));
        on(() -> v4.table().heard(four, v4.now()) && v6.table().heard(six, v6.now()));
        NodeId self = NodeId.random(random);
        NodeId target = NodeId.random(random);
        byte[] plain = KrpcCodec.findNode("t1".getBytes(StandardCharsets.ISO_8859_1), self, target, false);
        on(() -> {
            v6.receive(asker6, ByteBuffer.wrap(plain));
            return null;
        });
        KrpcMessage.Response r = lastReply(sent6);
        assertEquals(List.of(six), r.nodes6(), "no want over IPv6: nodes6");
        assertTrue(r.nodes().isEmpty());
        byte[] both = KrpcCodec.getPeers("t2".getBytes(StandardCharsets.ISO_8859_1), self, target, false,
                Set.of(KrpcMessage.WANT_N4, KrpcMessage.WANT_N6));
        on(() -> {
            v6.receive(asker6, ByteBuffer.wrap(both));
            return null;
        });
        r = lastReply(sent6);
        assertEquals(List.of(four), r.nodes(), "want n4 over IPv6: the IPv4 table's nodes too");
        assertEquals(List.of(six), r.nodes6());
        assertTrue(r.token() != null);
    }

    @Test
    void hostileNodes6AndWrongFamiliesAreDroppedAndCountedNeverThrown() throws Exception {
        byte[] tx = new byte[4];
        String entry = "mnopqrstuvwxyz123456" + "\040\001\015\270" + "\0".repeat(11) + "\2\0P";
        String[] hostile = {
            "d1:rd2:id20:abcdefghij01234567896:nodes637:" + entry.substring(1) + "e1:t4:\0\0\0\0" + "1:y1:re",
            "d1:rd2:id20:abcdefghij01234567896:nodes6" + 38 * 17 + ":" + entry.repeat(17) + "e1:t4:\0\0\0\0" + "1:y1:re",
        };
        long before = v6.dropped.sum();
        on(() -> {
            for (String h : hostile) {
                v6.receive(asker6, ByteBuffer.wrap(h.getBytes(StandardCharsets.ISO_8859_1)));
            }
            // An IPv4 datagram on the IPv6 node (and the reverse) is not ours to serve.
            byte[] ping = KrpcCodec.ping(tx, NodeId.random(random), false);
            v6.receive(new InetSocketAddress("127.0.0.1", 1), ByteBuffer.wrap(ping));
            v4.receive(asker6, ByteBuffer.wrap(ping));
            return null;
        });
        assertEquals(before + 3, v6.dropped.sum());
        assertEquals(1, v4.dropped.sum());
        assertTrue(sent4.isEmpty() && sent6.isEmpty(), "nothing answered");
        on(() -> {
            v6.receive(asker6, ByteBuffer.wrap(KrpcCodec.ping(tx, NodeId.random(random), false)));
            return null;
        });
        // Our own ping (to check the new node before it may enter the table), then the answer.
        assertTrue(lastReply(sent6).id().equals(id), "a valid ping is still answered");
    }

    @Test
    void ipv6GetPeersRepliesStayUnderTheReplyBoundWithFullStoresAndBothNodeLists() throws Exception {
        Node.pair(v4, v6);
        NodeId hash = NodeId.random(random);
        on(() -> {
            for (int i = 0; i < 100; i++) {
                v6.store().add(hash, new InetSocketAddress("2001:db8::" + Integer.toHexString(i + 1), 1000 + i), v6.now());
                NodeId n = NodeId.random(random);
                v4.table().heard(new NodeInfo(n, new InetSocketAddress("10.0.1." + (i + 1), 1)), v4.now());
                v6.table().heard(new NodeInfo(n, new InetSocketAddress("2001:db8:1::" + (i + 1), 1)), v6.now());
            }
            return null;
        });
        byte[] longTx = new byte[16];
        byte[] q = KrpcCodec.getPeers(longTx, NodeId.random(random), hash, false,
                Set.of(KrpcMessage.WANT_N4, KrpcMessage.WANT_N6));
        on(() -> {
            v6.receive(asker6, ByteBuffer.wrap(q));
            return null;
        });
        byte[] reply = sent6.get(0);
        assertTrue(reply.length <= Node.MAX_REPLY, reply.length + " bytes");
        KrpcMessage.Response r = (KrpcMessage.Response) KrpcCodec.decode(ByteBuffer.wrap(reply));
        assertEquals(RoutingTable.K, r.nodes().size());
        assertEquals(RoutingTable.K, r.nodes6().size());
        assertTrue(r.values().size() >= 10, r.values().size() + " values");
    }
}
