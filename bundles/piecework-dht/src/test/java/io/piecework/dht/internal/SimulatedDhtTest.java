package io.piecework.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.dht.KrpcCodec;
import io.piecework.dht.KrpcMessage;
import io.piecework.dht.NodeId;
import io.piecework.dht.NodeInfo;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Forty nodes in memory: joining, lookups, tokens, the peer store and rate limits end to end. */
class SimulatedDhtTest {
    private static final int SIZE = 40;
    private final SimNetwork net = new SimNetwork();

    @AfterEach
    void close() {
        net.close();
    }

    private List<Node> network() throws Exception {
        List<Node> all = new java.util.ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            all.add(net.add(10_000 + i, DhtSettings.loopback()));
        }
        // Each joins through the first node, by address only, as through a bootstrap router.
        for (Node n : all.subList(1, SIZE)) {
            net.on(() -> n.lookup(n.id(), false, List.of(SimNetwork.address(10_000)), p -> { })).get(10, TimeUnit.SECONDS);
        }
        return all;
    }

    @Test
    void nodesJoinThroughOneAndFillTheirTables() throws Exception {
        List<Node> all = network();
        for (Node n : all) {
            int size = net.on(() -> n.table().size());
            assertTrue(size >= RoutingTable.K, "table of " + size + " at node " + all.indexOf(n) + ": " + all.stream().map(x -> { try { return net.on(() -> x.table().size()); } catch (Exception e) { return -1; } }).toList());
            assertTrue(size <= 160 * RoutingTable.K);
        }
    }

    @Test
    void getPeersFindsWhatAnotherNodeAnnounced() throws Exception {
        List<Node> all = network();
        NodeId hash = NodeId.random(new Random(9));
        Node announcer = all.get(7);
        List<Lookup.Responder> closest = net.on(() -> announcer.lookup(hash, true, List.of(), p -> { }))
                .get(10, TimeUnit.SECONDS);
        assertEquals(RoutingTable.K, closest.size());
        int accepted = 0;
        for (Lookup.Responder r : closest) {
            assertTrue(r.token() != null && r.token().length == Tokens.LENGTH);
            KrpcMessage.Response ok = net.on(() -> announcer.send(r.node().address(), r.node().id(),
                    tx -> KrpcCodec.announcePeer(tx, announcer.id(), hash, 4321, r.token(), false, false)))
                    .get(10, TimeUnit.SECONDS);
            accepted += ok.id().equals(r.node().id()) ? 1 : 0;
        }
        assertEquals(RoutingTable.K, accepted);

        Node seeker = all.get(SIZE - 1);
        Set<InetSocketAddress> found = ConcurrentHashMap.newKeySet();
        net.on(() -> seeker.lookup(hash, true, List.of(), found::addAll)).get(10, TimeUnit.SECONDS);
        assertEquals(Set.of(new InetSocketAddress(SimNetwork.address(10_007).getAddress(), 4321)), found);
    }

    @Test
    void announceWithABadTokenIsRefusedAndStoresNothing() throws Exception {
        List<Node> all = network();
        Node a = all.get(3);
        Node b = all.get(4);
        NodeId hash = NodeId.random(new Random(10));
        CompletableFuture<KrpcMessage.Response> f = net.on(() -> a.send(SimNetwork.address(10_004), b.id(),
                tx -> KrpcCodec.announcePeer(tx, a.id(), hash, 4321, new byte[8], false, false)));
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> f.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof Node.RemoteError, e.toString());
        assertEquals(0, (int) net.on(() -> b.store().peerCount()));
    }

    @Test
    void readOnlyNodeLooksUpButServesNothingAndStaysOutOfTables() throws Exception {
        List<Node> all = network();
        Node ro = net.add(11_000, DhtSettings.loopback().withReadOnly(true));
        net.on(() -> ro.lookup(ro.id(), false, List.of(SimNetwork.address(10_000)), p -> { })).get(10, TimeUnit.SECONDS);
        assertTrue(net.on(() -> ro.table().size()) >= RoutingTable.K);
        for (Node n : all) {
            assertFalse(net.on(() -> n.table().contains(ro.id())), "a read-only node entered a table");
        }
        Node other = all.get(1);
        CompletableFuture<KrpcMessage.Response> ping = net.on(() -> other.ping(SimNetwork.address(11_000)));
        assertThrows(ping);
    }

    private static void assertThrows(CompletableFuture<?> f) {
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> f.get(10, TimeUnit.SECONDS));
    }

    @Test
    void queriesBeyondTheRateLimitAreDroppedPerSource() throws Exception {
        DhtSettings limited = DhtSettings.loopback().withRateLimit(20, 40);
        Node n = net.add(12_000, limited);
        InetSocketAddress flooder = new InetSocketAddress("127.0.0.9", 999);
        byte[] ping = KrpcCodec.ping(new byte[] {1, 2}, NodeId.random(new Random(1)), true);
        net.on(() -> {
            for (int i = 0; i < 1000; i++) {
                n.receive(flooder, ByteBuffer.wrap(ping));
            }
            return null;
        });
        long answered = n.answered.sum();
        assertTrue(answered >= 40 && answered <= 40 + 2, "answered " + answered);
        assertTrue(n.limited.sum() >= 1000 - answered);
        // Another source is not affected.
        net.on(() -> {
            n.receive(new InetSocketAddress("127.0.0.10", 999), ByteBuffer.wrap(ping));
            return null;
        });
        assertEquals(answered + 1, n.answered.sum());
    }

    @Test
    void repliesStayWithinTheAmplificationBound() throws Exception {
        List<Node> all = network();
        Node n = all.get(0);
        NodeId hash = NodeId.random(new Random(11));
        net.on(() -> {
            for (int i = 0; i < 500; i++) {
                n.store().add(hash, new InetSocketAddress("10.0.0." + (i % 250 + 1), 1000 + i), n.now());
            }
            return null;
        });
        net.sent.clear();
        Set<InetSocketAddress> found = ConcurrentHashMap.newKeySet();
        net.on(() -> n.lookup(hash, true, List.of(), found::addAll)).get(10, TimeUnit.SECONDS);
        assertTrue(found.isEmpty(), "a node does not query itself");
        Node other = all.get(1);
        net.on(() -> other.lookup(hash, true, List.of(SimNetwork.address(10_000)), found::addAll)).get(10, TimeUnit.SECONDS);
        assertEquals(Node.MAX_VALUES_SENT, found.size());
        int largest = net.on(() -> net.sent.stream().mapToInt(b -> b.length).max().orElse(0));
        assertTrue(largest <= Node.MAX_REPLY, "largest datagram " + largest);
    }

    @Test
    void unansweredQueriesTimeOutAndEvictTheNodeForACandidate() throws Exception {
        Node n = net.add(13_000, DhtSettings.loopback());
        NodeInfo dead = new NodeInfo(NodeId.random(new Random(12)), SimNetwork.address(14_000));
        net.on(() -> n.table().heard(dead, n.now()));
        for (int i = 0; i < RoutingTable.MAX_FAILURES; i++) {
            CompletableFuture<KrpcMessage.Response> f = net.on(() -> n.send(dead.address(), dead.id(),
                    tx -> KrpcCodec.ping(tx, n.id(), false)));
            assertThrows(f);
        }
        assertTrue(net.on(() -> n.table().closest(dead.id(), 8)).isEmpty(), "a bad node is not handed out");
        assertEquals(0, (int) net.on(n::pendingCount));
    }

    @Test
    void maintenancePingsQuietNodesAndRefreshesQuietBuckets() throws Exception {
        List<Node> all = network();
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
        Node n = net.add(15_000, DhtSettings.loopback(), clock::get);
        net.on(() -> n.lookup(n.id(), false, List.of(SimNetwork.address(10_000)), p -> { })).get(10, TimeUnit.SECONDS);
        int before = net.on(() -> n.table().size());
        assertTrue(before >= RoutingTable.K);
        net.on(() -> {
            net.sent.clear();
            n.maintain();
            return null;
        });
        assertEquals(0, (int) net.on(() -> net.sent.size()), "nothing is due yet");

        clock.addAndGet(DhtSettings.BUCKET_REFRESH.toNanos() + 1);
        long pings = net.on(() -> {
            net.sent.clear();
            n.maintain();
            return net.sent.stream().filter(b -> new String(b, java.nio.charset.StandardCharsets.ISO_8859_1)
                    .contains("4:ping")).count();
        });
        assertEquals(4, pings, "four quiet nodes are pinged per round");
        long refreshes = net.on(() -> net.sent.stream().filter(b -> new String(b,
                java.nio.charset.StandardCharsets.ISO_8859_1).contains("9:find_node")).count());
        assertTrue(refreshes >= 1, "a quiet bucket is refreshed by a find_node lookup");
        assertTrue(all.size() == SIZE);
    }
}
