package io.piecework.itests.dht;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.piecework.api.discovery.AnnounceTarget;
import io.piecework.api.discovery.Announcement;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.dht.internal.DhtPeerSource;
import io.piecework.dht.internal.DhtSettings;
import io.piecework.itests.support.ScriptProcess;
import io.piecework.metainfo.MetainfoParser;
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

/**
 * BEP 32 against libtorrent-rasterbar 2.0.8 on ::1: three libtorrent DHT nodes and a libtorrent
 * seeder, all IPv6 only, and our IPv6-only node bootstrapped from one of them. Our get_peers
 * must find the seeder's IPv6 address, and libtorrent's get_peers the port we announced.
 */
class Dht6InteropTest {
    private static final String HOST = "::1";
    @TempDir
    static Path dir;
    private static final List<ScriptProcess> nodes = new ArrayList<>();
    private static ScriptProcess seeder;
    private static int seederPort;
    private static InfoHash infoHash;
    private static DhtPeerSource ours;

    private static List<String> lt(String... args) throws URISyntaxException {
        List<String> c = new ArrayList<>(List.of("/usr/bin/env", "LTDHT_HOST=" + HOST, ScriptProcess.PYTHON,
                Path.of(Dht6InteropTest.class.getResource("/python/dht/ltdht.py").toURI()).toString()));
        c.addAll(List.of(args));
        return c;
    }

    @BeforeAll
    static void startDht() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(ScriptProcess.PYTHON)), "needs /usr/bin/python3 with python3-libtorrent");
        Path data = Files.createDirectories(dir.resolve("seed")).resolve("data.bin");
        byte[] content = new byte[100_000];
        new Random(61).nextBytes(content);
        Files.write(data, content);
        Path torrent = dir.resolve("data.torrent");
        ScriptProcess.run(60, List.of(ScriptProcess.PYTHON, Path.of(Dht6InteropTest.class
                .getResource("/python/tracker/ltseeder.py").toURI()).toString(), "create", data.toString(),
                torrent.toString(), "16384"));
        infoHash = MetainfoParser.read(torrent).infoHash();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ScriptProcess n = ScriptProcess.start(dir.resolve("ltdht" + i + ".log"), lt("node"));
            nodes.add(n);
            ports.add(Integer.parseInt(n.await("DHTPORT ", 30).substring(8).trim()));
        }
        seeder = ScriptProcess.start(dir.resolve("ltseeder.log"), lt("node", torrent.toString(),
                data.getParent().toString()));
        ports.add(Integer.parseInt(seeder.await("DHTPORT ", 30).substring(8).trim()));
        seederPort = Integer.parseInt(seeder.await("SEEDING ", 30).substring(8).trim());
        List<ScriptProcess> all = new ArrayList<>(nodes);
        all.add(seeder);
        for (ScriptProcess n : all) {
            for (int p : ports) {
                n.send("ADD " + p);
            }
        }
        ours = new DhtPeerSource(DhtSettings.loopback6().withBootstrap(List.of("[::1]:" + ports.get(0))));
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

    private record Target(InfoHash infoHash, byte[] peerId, List<List<String>> trackerTiers, boolean isPrivate, int port,
                          long uploaded, long downloaded, long left) implements AnnounceTarget {
        Target(InfoHash infoHash, int port) {
            this(infoHash, new byte[20], List.of(), false, port, 0, 0, 1);
        }
    }

    @Test
    void ourIpv6LookupFindsTheLibtorrentSeederOnIpv6() throws Exception {
        InetSocketAddress expected = new InetSocketAddress(HOST, seederPort);
        Set<InetSocketAddress> found = ConcurrentHashMap.newKeySet();
        BlockingQueue<List<InetSocketAddress>> arrivals = new LinkedBlockingQueue<>();
        Announcement a = ours.announce(new Target(infoHash, 40_066), (peers, from) -> arrivals.add(peers));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!found.contains(expected) && System.nanoTime() < deadline) {
                seeder.send("REANNOUNCE");
                a.announceNow();
                List<InetSocketAddress> peers = arrivals.poll(2, TimeUnit.SECONDS);
                if (peers != null) {
                    found.addAll(peers);
                }
            }
            assertTrue(found.contains(expected), "found " + found + ", expected " + expected + "; " + a.status());
        } finally {
            a.close();
        }
    }

    @Test
    void libtorrentGetPeersOverIpv6FindsThePortWeAnnounced() throws Exception {
        byte[] h = new byte[20];
        new Random(62).nextBytes(h);
        InfoHash hash = InfoHash.of(h);
        Announcement a = ours.announce(new Target(hash, 45_666), (peers, from) -> { });
        ScriptProcess asker = nodes.get(2);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<String> replies = new ArrayList<>();
            while (replies.stream().noneMatch(l -> l.contains(" ::1:45666")) && System.nanoTime() < deadline) {
                a.announceNow();
                asker.send("GETPEERS " + hash.hex());
                replies.add(asker.await("PEERS " + hash.hex(), 10));
            }
            assertTrue(replies.stream().anyMatch(l -> l.contains(" ::1:45666")), "libtorrent's get_peers said: "
                    + replies + "; our status: " + a.status());
        } finally {
            a.close();
        }
    }
}
