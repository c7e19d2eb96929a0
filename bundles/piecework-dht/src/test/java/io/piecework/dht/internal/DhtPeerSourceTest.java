package io.piecework.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.discovery.AnnounceTarget;
import io.piecework.api.discovery.Announcement;
import io.piecework.api.metainfo.InfoHash;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three DHT peer sources on real loopback UDP sockets: announce, find, persist, restore. */
class DhtPeerSourceTest {
    @TempDir
    Path dir;
    private final List<DhtPeerSource> sources = new ArrayList<>();

    @AfterEach
    void close() {
        sources.forEach(DhtPeerSource::close);
    }

    private DhtPeerSource start(List<String> bootstrap, Path state) throws Exception {
        DhtPeerSource s = new DhtPeerSource(DhtSettings.loopback().withBootstrap(bootstrap).withStateFile(state));
        sources.add(s);
        return s;
    }

    /** A torrent as the engine would hand it over: only the hash, port and privacy matter here. */
    record Target(InfoHash infoHash, byte[] peerId, List<List<String>> trackerTiers, boolean isPrivate, int port,
                  long uploaded, long downloaded, long left) implements AnnounceTarget {
        Target(InfoHash infoHash, int port, boolean isPrivate) {
            this(infoHash, new byte[20], List.of(), isPrivate, port, 0, 0, 0);
        }
    }

    static void await(BooleanSupplier condition, String what) {
        Awaitility.await(what).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .atMost(Duration.ofSeconds(15)).until(condition::getAsBoolean);
    }

    private static int tableSize(DhtPeerSource s) {
        try {
            return s.node().nodes().get(5, TimeUnit.SECONDS).size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void announcedPortIsFoundByAnotherNodeAndTheTableSurvivesARestart() throws Exception {
        DhtPeerSource a = start(List.of(), null);
        String router = "127.0.0.1:" + a.port();
        DhtPeerSource b = start(List.of(router), dir.resolve("b.state"));
        DhtPeerSource c = start(List.of(router), null);
        byte[] h = new byte[20];
        new Random(8).nextBytes(h);
        InfoHash hash = InfoHash.of(h);

        Announcement byC = c.announce(new Target(hash, 5555, false), (peers, from) -> { });
        await(() -> byC.status().contains("announced to") && !byC.status().contains("announced to 0"), "C's announce: "
                + byC.status());

        BlockingQueue<List<InetSocketAddress>> found = new LinkedBlockingQueue<>();
        Announcement byB = b.announce(new Target(hash, 6666, false), (peers, from) -> {
            assertEquals("dht", from);
            found.add(peers);
        });
        byB.announceNow();
        List<InetSocketAddress> peers = found.poll(15, TimeUnit.SECONDS);
        assertTrue(peers != null && peers.contains(new InetSocketAddress("127.0.0.1", 5555)), "found " + peers);
        byB.close();
        assertEquals("stopped", byB.status());

        await(() -> tableSize(b) >= 2, "B to know A and C");
        int known = tableSize(b);
        var id = b.node().id();
        b.close();
        sources.remove(b);
        assertTrue(Files.size(dir.resolve("b.state")) >= 20 + 26 * known);

        DhtPeerSource again = start(List.of(), dir.resolve("b.state"));
        assertEquals(id, again.node().id(), "the node id is kept");
        await(() -> tableSize(again) >= 2, "the restored nodes to answer again without any bootstrap node");
    }

    @Test
    void aTakenPortFallsBackToAFreeOne() throws Exception {
        DhtPeerSource a = start(List.of(), null);
        DhtSettings d = DhtSettings.loopback();
        DhtSettings samePort = new DhtSettings(a.port(), d.bindAddress(), d.bootstrap(), false, d.announceInterval(),
                d.queryTimeout(), d.queriesPerSecond(), d.queryBurst(), d.maxPending(), d.maxTorrents(),
                d.maxPeersPerTorrent(), d.peerTtl(), null);
        DhtPeerSource b = new DhtPeerSource(samePort);
        sources.add(b);
        assertTrue(b.port() > 0 && b.port() != a.port(), "port " + b.port());
    }

    @Test
    void privateTorrentsAreNeverAnnounced() throws Exception {
        DhtPeerSource a = start(List.of(), null);
        Announcement p = a.announce(new Target(InfoHash.of(new byte[20]), 1, true), (peers, from) -> { });
        assertTrue(p.status().contains("private"));
        assertEquals(0, (int) a.node().call(() -> a.node().node().pendingCount()).get(5, TimeUnit.SECONDS));
    }

    @Test
    void pingOfANodeFromAPortMessageAddsItToTheTable() throws Exception {
        DhtPeerSource a = start(List.of(), null);
        DhtPeerSource b = start(List.of(), null);
        assertTrue(a.port() > 0);
        a.ping(new InetSocketAddress("127.0.0.1", b.port()));
        await(() -> tableSize(a) == 1, "B in A's table");
    }

    @Test
    void anAnnouncementRepeatsOnItsIntervalAndHandsPeersToTheSink() throws Exception {
        DhtSettings fast = DhtSettings.loopback().withAnnounceInterval(Duration.ofMillis(300));
        try (DhtPeerSource a = new DhtPeerSource(fast);
             DhtPeerSource b = new DhtPeerSource(fast.withBootstrap(List.of("127.0.0.1:" + a.port())));
             DhtPeerSource c = new DhtPeerSource(fast.withBootstrap(List.of("127.0.0.1:" + a.port())))) {
            InfoHash hash = InfoHash.of(new byte[20]);
            b.announce(new Target(hash, 7777, false), (peers, from) -> { });
            BlockingQueue<List<InetSocketAddress>> rounds = new LinkedBlockingQueue<>();
            var mine = c.announce(new Target(hash, 8888, false), (peers, from) -> rounds.add(peers));
            // Each round hands over what it finds afresh, so B's port arrives once per round.
            InetSocketAddress bs = new InetSocketAddress("127.0.0.1", 7777);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            int seen = 0;
            while (seen < 3 && System.nanoTime() < deadline) {
                List<InetSocketAddress> peers = rounds.poll(1, TimeUnit.SECONDS);
                seen += peers != null && peers.contains(bs) ? 1 : 0;
            }
            assertEquals(3, seen, "rounds that found B; " + mine.status());
            assertTrue(mine.status().startsWith("dht: "), mine.status());
        }
    }
}
