package io.piecework.itests.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.piecework.api.discovery.AnnounceTarget;
import io.piecework.api.discovery.Announcement;
import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.core.internal.Engine;
import io.piecework.dht.internal.DhtPeerSource;
import io.piecework.dht.internal.DhtSettings;
import io.piecework.itests.support.ScriptProcess;
import io.piecework.metainfo.MagnetLinks;
import io.piecework.metainfo.MetainfoParser;
import io.piecework.storage.file.internal.FileStorageProvider;
import io.piecework.storage.file.internal.Settings;
import io.piecework.strategy.naive.NaiveStrategy;
import io.piecework.wire.internal.NettyPeerTransport;
import io.piecework.wire.internal.TransportSettings;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * A small DHT on 127.0.0.1: three libtorrent-rasterbar 2.0.8 nodes, a libtorrent seeder that
 * announces its torrent into the DHT, and our node, bootstrapped from one libtorrent node
 * only. Our get_peers lookup must find the seeder; libtorrent's get_peers must find the port
 * our node announced (announce_peer with the tokens libtorrent gave it); and an engine given
 * only a magnet link's info-hash and a DHT node that knows one libtorrent node downloads the
 * torrent from the seeder.
 */
class DhtInteropTest {
    private static final int SIZE = 1_000_000 + 333;
    @TempDir
    static Path dir;
    private static final List<ScriptProcess> nodes = new ArrayList<>();
    private static final List<Integer> ports = new ArrayList<>();
    private static ScriptProcess seeder;
    private static int seederPort;
    private static InfoHash infoHash;
    private static DhtPeerSource ours;
    private static byte[] content;
    @TempDir
    Path down;

    @BeforeAll
    static void startDht() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(ScriptProcess.PYTHON)), "needs /usr/bin/python3 with python3-libtorrent");
        Path data = Files.createDirectories(dir.resolve("seed")).resolve("data.bin");
        byte[] content = new byte[SIZE];
        new Random(11).nextBytes(content);
        DhtInteropTest.content = content;
        Files.write(data, content);
        Path torrent = dir.resolve("data.torrent");
        ScriptProcess.run(60, List.of(ScriptProcess.PYTHON, script("tracker/ltseeder.py"), "create", data.toString(),
                torrent.toString(), "16384"));
        infoHash = MetainfoParser.read(torrent).infoHash();

        for (int i = 0; i < 3; i++) {
            ScriptProcess n = ScriptProcess.start(dir.resolve("ltdht" + i + ".log"),
                    List.of(ScriptProcess.PYTHON, script("dht/ltdht.py"), "node"));
            nodes.add(n);
            ports.add(Integer.parseInt(n.await("DHTPORT ", 30).substring(8).trim()));
        }
        seeder = ScriptProcess.start(dir.resolve("ltseeder.log"), List.of(ScriptProcess.PYTHON, script("dht/ltdht.py"),
                "node", torrent.toString(), data.getParent().toString()));
        int seederDht = Integer.parseInt(seeder.await("DHTPORT ", 30).substring(8).trim());
        seederPort = Integer.parseInt(seeder.await("SEEDING ", 30).substring(8).trim());
        // libtorrent nodes know each other; ours knows only the first of them.
        List<ScriptProcess> all = new ArrayList<>(nodes);
        all.add(seeder);
        List<Integer> allPorts = new ArrayList<>(ports);
        allPorts.add(seederDht);
        for (ScriptProcess n : all) {
            for (int p : allPorts) {
                n.send("ADD " + p);
            }
        }
        // Every node shares 127.0.0.1: loopback settings allow the whole swarm past the per-IP limit.
        ours = new DhtPeerSource(DhtSettings.loopback().withBootstrap(List.of("127.0.0.1:" + ports.get(0)))
                .withStateFile(dir.resolve("dht.state")));
    }

    @AfterAll
    static void stopDht() {
        if (ours != null) {
            ours.close();
        }
        nodes.forEach(ScriptProcess::close);
        if (seeder != null) {
            seeder.close();
        }
    }

    private static String script(String name) throws URISyntaxException {
        return Path.of(DhtInteropTest.class.getResource("/python/" + name).toURI()).toString();
    }

    /** Every accessor of the interface is a component: a leecher that wants it all. */
    private record Target(InfoHash infoHash, byte[] peerId, List<List<String>> trackerTiers, boolean isPrivate, int port,
                          long uploaded, long downloaded, long left) implements AnnounceTarget {
        Target(InfoHash infoHash, int port) {
            this(infoHash, new byte[20], List.of(), false, port, 0, 0, SIZE);
        }
    }

    @Test
    void ourLookupFindsTheLibtorrentSeeder() throws Exception {
        awaitSeederInDht();
    }

    /** Looks the torrent up through our node until the seeder's address comes back. */
    private static void awaitSeederInDht() throws Exception {
        InetSocketAddress expected = new InetSocketAddress("127.0.0.1", seederPort);
        Set<InetSocketAddress> found = ConcurrentHashMap.newKeySet();
        BlockingQueue<List<InetSocketAddress>> arrivals = new LinkedBlockingQueue<>();
        Announcement a = ours.announce(new Target(infoHash, 40_011), (peers, from) -> arrivals.add(peers));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!found.contains(expected) && System.nanoTime() < deadline) {
                // The seeder announces once its own table has nodes; ask it again and look again.
                seeder.send("REANNOUNCE");
                a.announceNow();
                List<InetSocketAddress> peers = arrivals.poll(2, TimeUnit.SECONDS);
                if (peers != null) {
                    found.addAll(peers);
                }
            }
            assertTrue(found.contains(expected), "found " + found + ", expected the seeder " + expected + "; status: "
                    + a.status());
        } finally {
            a.close();
        }
    }

    @Test
    void libtorrentGetPeersFindsThePortWeAnnounced() throws Exception {
        byte[] h = new byte[20];
        new Random(12).nextBytes(h);
        InfoHash hash = InfoHash.of(h);
        Announcement a = ours.announce(new Target(hash, 45_678), (peers, from) -> { });
        ScriptProcess asker = nodes.get(2);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<String> replies = new ArrayList<>();
            // A reply comes for each batch of peers libtorrent's lookup finds, or one without peers.
            while (replies.stream().noneMatch(l -> l.contains(" 127.0.0.1:45678")) && System.nanoTime() < deadline) {
                a.announceNow();
                asker.send("GETPEERS " + hash.hex());
                replies.add(asker.await("PEERS " + hash.hex(), 10));
            }
            assertTrue(replies.stream().anyMatch(l -> l.contains(" 127.0.0.1:45678")), "libtorrent's get_peers said: "
                    + replies + "; our status: " + a.status());
        } finally {
            a.close();
        }
    }

    @Test
    void aMagnetWithOnlyTheInfoHashDownloadsFromTheLibtorrentSeederThroughTheDht() throws Exception {
        awaitSeederInDht();
        // A fresh engine whose only way to peers is a DHT node that knows one libtorrent node.
        NettyPeerTransport transport = new NettyPeerTransport(TransportSettings.defaults().withListen("127.0.0.1", 0),
                RoaringBitmap::new);
        FileStorageProvider storage = new FileStorageProvider(Settings.DEFAULTS.withStateDir(down.resolve("state")));
        DhtPeerSource dht = new DhtPeerSource(DhtSettings.loopback().withBootstrap(List.of("127.0.0.1:" + ports.get(1))));
        Engine engine = new Engine(transport);
        try {
            engine.useStorage(storage);
            engine.useStrategy(new NaiveStrategy(), "naive");
            engine.addSource(dht, "dht");
            TorrentHandle t = engine.add(MagnetLinks.parse("magnet:?xt=urn:btih:" + infoHash.hex()),
                    AddOptions.in(down.resolve("data")));
            t.completion().get(120, TimeUnit.SECONDS);
            assertEquals(infoHash, t.metainfo().infoHash());
            assertArrayEquals(content, Files.readAllBytes(down.resolve("data/data.bin")));
        } finally {
            engine.close();
            dht.close();
            storage.close();
            transport.close();
        }
    }
}
