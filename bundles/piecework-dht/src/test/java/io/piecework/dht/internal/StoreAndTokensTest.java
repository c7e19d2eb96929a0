package io.piecework.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.dht.NodeId;
import io.piecework.dht.NodeInfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Tokens, the peer store and the routing table against a hand-driven clock. */
class StoreAndTokensTest {
    private static final long MINUTE = 60_000_000_000L;
    private final AtomicLong clock = new AtomicLong(1_000);

    @Test
    void tokensHoldForTheCurrentAndPreviousSecretOnlyAndOnlyForTheirIp() throws Exception {
        Tokens t = new Tokens(new Random(1), clock::get, 5 * MINUTE);
        InetAddress ip = InetAddress.getByName("10.0.0.1");
        byte[] token = t.issue(ip);
        assertTrue(t.valid(token, ip));
        assertFalse(t.valid(token, InetAddress.getByName("10.0.0.2")));
        clock.addAndGet(6 * MINUTE);
        assertTrue(t.valid(token, ip), "one rotation later the previous secret still counts");
        clock.addAndGet(5 * MINUTE);
        assertFalse(t.valid(token, ip), "two rotations later it is gone");
    }

    @Test
    void peerStoreIsBoundedAndExpires() {
        PeerStore s = new PeerStore(2, 3, 30 * MINUTE);
        Random r = new Random(2);
        NodeId a = NodeId.random(r);
        NodeId b = NodeId.random(r);
        for (int i = 1; i <= 5; i++) {
            assertTrue(s.add(a, new InetSocketAddress("10.0.0." + i, 1), clock.get()));
        }
        assertEquals(3, s.peers(a, 10, clock.get(), r).size(), "the oldest announces left");
        assertTrue(s.peers(a, 10, clock.get(), r).contains(new InetSocketAddress("10.0.0.5", 1)));
        assertTrue(s.add(b, new InetSocketAddress("10.0.0.1", 1), clock.get()));
        assertFalse(s.add(NodeId.random(r), new InetSocketAddress("10.0.0.1", 1), clock.get()), "full of torrents");
        clock.addAndGet(31 * MINUTE);
        assertTrue(s.peers(a, 10, clock.get(), r).isEmpty());
        assertTrue(s.add(NodeId.random(r), new InetSocketAddress("10.0.0.1", 1), clock.get()), "expired ones make room");
        assertEquals(1, s.torrentCount());
    }

    @Test
    void routingTableKeepsKPerBucketGoodNodesFirstAndNoIdHijack() {
        Random r = new Random(3);
        NodeId own = NodeId.random(r);
        RoutingTable t = new RoutingTable(own, clock.get());
        for (int i = 0; i < 20; i++) {
            t.heard(new NodeInfo(own.randomWithPrefix(0, r), new InetSocketAddress("10.0.1." + i, 1)), clock.get());
        }
        assertEquals(RoutingTable.K, t.size());
        assertEquals(RoutingTable.K, t.replacementCount());
        NodeInfo first = t.all().get(0);
        assertFalse(t.heard(new NodeInfo(first.id(), new InetSocketAddress("10.6.6.6", 1)), clock.get()));
        assertEquals(first, t.closest(first.id(), 1).get(0), "a good node keeps its address");
        t.failed(first.address(), first.id(), clock.get());
        t.failed(first.address(), first.id(), clock.get());
        assertFalse(t.all().contains(first), "two failures hand the place to the newest candidate");
        assertEquals(RoutingTable.K, t.size());
        assertFalse(t.heard(new NodeInfo(own, new InetSocketAddress("10.0.0.9", 1)), clock.get()), "not ourselves");

        NodeId target = NodeId.random(r);
        List<NodeInfo> closest = t.closest(target, 3);
        for (int i = 1; i < closest.size(); i++) {
            assertTrue(target.closer(closest.get(i - 1).id(), closest.get(i).id()) <= 0);
        }
        clock.addAndGet(16 * MINUTE);
        assertEquals(RoutingTable.K, t.questionable(clock.get() - 15 * MINUTE, 100).size());
        assertTrue(t.stale(clock.get() - 15 * MINUTE).contains(0));
    }
}
