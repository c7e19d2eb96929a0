package io.piecework.dht.internal;

import static io.piecework.dht.internal.DhtPeerSourceTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.discovery.Announcement;
import io.piecework.api.metainfo.InfoHash;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BEP 32 on real sockets: DHT nodes on ::1 alone, and dual-stack nodes bridging both DHTs. */
class Dht6Test {
    @TempDir
    Path dir;
    private final List<DhtPeerSource> sources = new ArrayList<>();

    @AfterEach
    void close() {
        sources.forEach(DhtPeerSource::close);
    }

    private DhtPeerSource start(DhtSettings settings) throws Exception {
        DhtPeerSource s = new DhtPeerSource(settings);
        sources.add(s);
        return s;
    }

    private static int tableSize(DhtPeerSource s, boolean ipv6) {
        try {
            return (int) s.node().nodes().get(5, TimeUnit.SECONDS).stream().filter(n -> n.isIpv6() == ipv6).count();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static InfoHash hash(int seed) {
        byte[] h = new byte[20];
        new Random(seed).nextBytes(h);
        return InfoHash.of(h);
    }

    @Test
    void nodesOnIpv6LoopbackFindEachOthersAnnouncedPeersAndKeepTheirIpv6Table() throws Exception {
        DhtPeerSource a = start(DhtSettings.loopback6());
        String router = "[::1]:" + a.port();
        DhtPeerSource b = start(DhtSettings.loopback6().withBootstrap(List.of(router)).withStateFile(dir.resolve("b")));
        DhtPeerSource c = start(DhtSettings.loopback6().withBootstrap(List.of(router)));
        InfoHash hash = hash(32);

        Announcement byC = c.announce(new DhtPeerSourceTest.Target(hash, 5555, false), (peers, from) -> { });
        await(() -> byC.status().contains("announced to") && !byC.status().contains("announced to 0"),
                "C's announce over IPv6: " + byC.status());
        Set<InetSocketAddress> found = ConcurrentHashMap.newKeySet();
        b.announce(new DhtPeerSourceTest.Target(hash, 6666, false), (peers, from) -> found.addAll(peers));
        InetSocketAddress cs = new InetSocketAddress("::1", 5555);
        await(() -> found.contains(cs), "B to find C's port on ::1, found " + found);
        assertTrue(found.stream().allMatch(p -> p.getAddress() instanceof Inet6Address), "only IPv6 peers: " + found);

        await(() -> tableSize(b, true) >= 2, "B to know A and C over IPv6");
        b.close();
        sources.remove(b);
        DhtPeerSource again = start(DhtSettings.loopback6().withStateFile(dir.resolve("b")));
        await(() -> tableSize(again, true) >= 2, "the restored IPv6 nodes to answer without a bootstrap node");
    }

    @Test
    void aDualStackNodeJoinsBothDhtsThroughOneIpv4RouterAndFindsPeersOfBothFamilies() throws Exception {
        DhtSettings dual = DhtSettings.loopback().withBindAddresses("127.0.0.1", "::1");
        DhtPeerSource router = start(dual);
        DhtPeerSource v4 = start(DhtSettings.loopback().withBootstrap(List.of("127.0.0.1:" + router.port())));
        DhtPeerSource v6 = start(DhtSettings.loopback6().withBootstrap(List.of("[::1]:" + router.node().port6())));
        InfoHash hash = hash(33);
        for (var s : List.of(v4, v6)) {
            Announcement mine = s.announce(new DhtPeerSourceTest.Target(hash, s == v4 ? 4444 : 6666, false),
                    (peers, from) -> { });
            await(() -> mine.status().contains("announced to") && !mine.status().contains("announced to 0"),
                    "announce: " + mine.status());
        }
        // Only an IPv4 bootstrap node: the IPv6 DHT is reached through the router's nodes6 (want n4 n6).
        DhtPeerSource d = start(dual.withBootstrap(List.of("127.0.0.1:" + router.port()))
                .withAnnounceInterval(Duration.ofMillis(300)));
        Set<InetSocketAddress> found = ConcurrentHashMap.newKeySet();
        d.announce(new DhtPeerSourceTest.Target(hash, 7777, false), (peers, from) -> found.addAll(peers));
        await(() -> found.contains(new InetSocketAddress("127.0.0.1", 4444))
                && found.contains(new InetSocketAddress("::1", 6666)), "both families' peers, found " + found);
        assertTrue(tableSize(d, true) >= 1, "D's IPv6 table filled without an IPv6 bootstrap node");
        assertEquals(d.port(), d.node().port6(), "one port for both families when it is free on both");
    }
}
