package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.discovery.AnnounceTarget;
import io.piecework.api.discovery.Announcement;
import io.piecework.api.discovery.PeerSink;
import io.piecework.api.discovery.PeerSource;
import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.TorrentVersion;
import io.piecework.metainfo.TorrentCreator;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Peer sources bound to the engine: what they are told, and peers they find reach the torrent. */
class DiscoveryTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final LoopbackEngines engines = new LoopbackEngines(() -> dir);

    /** A source that hands each announce to the test. */
    static final class FakeSource implements PeerSource {
        final LinkedBlockingQueue<FakeAnnouncement> announced = new LinkedBlockingQueue<>();

        @Override
        public Announcement announce(AnnounceTarget torrent, PeerSink sink) {
            FakeAnnouncement a = new FakeAnnouncement(torrent, sink);
            announced.add(a);
            return a;
        }

        FakeAnnouncement next() throws InterruptedException {
            FakeAnnouncement a = announced.poll(10, TimeUnit.SECONDS);
            if (a == null) {
                throw new AssertionError("no announce within 10 s");
            }
            return a;
        }
    }

    static final class FakeAnnouncement implements Announcement {
        final AnnounceTarget target;
        final PeerSink sink;
        final CountDownLatch completed = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);

        FakeAnnouncement(AnnounceTarget target, PeerSink sink) {
            this.target = target;
            this.sink = sink;
        }

        @Override
        public void completed() {
            completed.countDown();
        }

        @Override
        public void announceNow() {
        }

        @Override
        public String status() {
            return "fake";
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    private TorrentMetainfo torrent(Path source, int size, boolean privateFlag) throws Exception {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        Files.createDirectories(source.getParent());
        Files.write(source, data);
        return TorrentCreator.create(new CreateRequest(source, 16 * 1024, List.of("http://127.0.0.1:1/announce"),
                List.of(), privateFlag, null, 1), CreateProgress.NONE);
    }

    @Test
    void peersFromASourceDownloadTheTorrentAndTheSourceHearsCompletedAndStopped() throws Exception {
        Path source = dir.resolve("seed/data.bin");
        TorrentMetainfo meta = torrent(source, 700_000, false);
        Engine seeder = engines.engine("seeder");
        seeder.add(meta, AddOptions.in(dir.resolve("seed"))).completion().get(30, TimeUnit.SECONDS);

        Engine leecher = engines.engine("leecher");
        FakeSource tracker = new FakeSource();
        leecher.addSource(tracker, "tracker");
        TorrentHandle t = leecher.add(meta, AddOptions.in(dir.resolve("down")));
        FakeAnnouncement a = tracker.next();
        assertEquals(meta.infoHash(), a.target.infoHash());
        assertEquals(leecher.listenPort(), a.target.port());
        assertArrayEquals(leecher.transport().localPeerId().bytes(), a.target.peerId());
        assertEquals(meta.trackerTiers(), a.target.trackerTiers());
        assertEquals(meta.totalSize(), a.target.left());

        a.sink.found(List.of(new InetSocketAddress("127.0.0.1", seeder.listenPort())), "fake");
        t.completion().get(60, TimeUnit.SECONDS);
        assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(dir.resolve("down/data.bin")));
        assertTrue(a.completed.await(10, TimeUnit.SECONDS), "completed announced");
        assertEquals(0, a.target.left());
        assertEquals(meta.totalSize(), a.target.downloaded());
        t.remove(false).get(10, TimeUnit.SECONDS);
        assertTrue(a.closed.await(10, TimeUnit.SECONDS), "stopped announced");
    }

    @Test
    void aSourceBoundLaterIsToldOfRunningTorrentsAndAnUnboundOneOfNoNewOnes() throws Exception {
        Engine engine = engines.engine("e");
        TorrentHandle first = engine.add(torrent(dir.resolve("a/a.bin"), 50_000, false), AddOptions.in(dir.resolve("a")));
        first.completion().get(30, TimeUnit.SECONDS);
        FakeSource late = new FakeSource();
        engine.addSource(late, "tracker");
        assertEquals(first.infoHash(), late.next().target.infoHash());

        engine.removeSource(late);
        TorrentHandle second = engine.add(torrent(dir.resolve("b/b.bin"), 60_000, false), AddOptions.in(dir.resolve("b")));
        second.completion().get(30, TimeUnit.SECONDS);
        FakeSource witness = new FakeSource();
        engine.addSource(witness, "witness");
        // The witness hears of both; by then the unbound source would have heard of the second.
        witness.next();
        witness.next();
        assertTrue(late.announced.isEmpty(), "an unbound source is not announced to");
    }

    @Test
    void aPrivateTorrentIsNeverAnnouncedToTheDht() throws Exception {
        Engine engine = engines.engine("e");
        FakeSource dht = new FakeSource();
        FakeSource tracker = new FakeSource();
        engine.addSource(dht, Discovery.DHT);
        engine.addSource(tracker, "tracker");
        TorrentHandle secret = engine.add(torrent(dir.resolve("p/p.bin"), 40_000, true), AddOptions.in(dir.resolve("p")));
        TorrentHandle open = engine.add(torrent(dir.resolve("o/o.bin"), 30_000, false), AddOptions.in(dir.resolve("o")));
        assertTrue(tracker.next().target.isPrivate() || tracker.next().target.isPrivate());
        assertEquals(open.infoHash(), dht.next().target.infoHash());
        secret.completion().get(30, TimeUnit.SECONDS);
        assertTrue(dht.announced.isEmpty(), "the private torrent stays off the DHT");
    }

    @Test
    void aHybridIsAnnouncedUnderItsV1AndItsTruncatedV2HashToTrackersAndTheDht() throws Exception {
        Engine engine = engines.engine("e");
        FakeSource dht = new FakeSource();
        FakeSource tracker = new FakeSource();
        engine.addSource(dht, Discovery.DHT);
        engine.addSource(tracker, "tracker");
        TorrentMetainfo hybrid = hybrid(dir.resolve("h/h.bin"));
        engine.add(hybrid, AddOptions.in(dir.resolve("h"))).completion().get(30, TimeUnit.SECONDS);
        Set<InfoHash> both = Set.of(hybrid.infoHash(), hybrid.infoHashV2().orElseThrow().truncated());
        assertEquals(both, Set.of(tracker.next().target.infoHash(), tracker.next().target.infoHash()));
        assertEquals(both, Set.of(dht.next().target.infoHash(), dht.next().target.infoHash()));

        FakeSource late = new FakeSource(); // bound after the torrent started: told of both swarms too
        engine.addSource(late, "late");
        assertEquals(both, Set.of(late.next().target.infoHash(), late.next().target.infoHash()));
    }

    @Test
    void aPeerFoundInAHybridsV2SwarmIsDialledWithTheV2HashAndOneFoundInItsV1SwarmWithTheV1Hash() throws Exception {
        Engine engine = engines.engine("e");
        FakeSource tracker = new FakeSource();
        engine.addSource(tracker, "tracker");
        TorrentMetainfo hybrid = hybrid(dir.resolve("seed/h.bin"));
        engine.add(hybrid, AddOptions.in(dir.resolve("down")));
        InfoHash v2 = hybrid.infoHashV2().orElseThrow().truncated();
        Map<InfoHash, FakeAnnouncement> bySwarm = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            FakeAnnouncement a = tracker.next();
            bySwarm.put(a.target.infoHash(), a);
        }
        assertEquals(Set.of(hybrid.infoHash(), v2), bySwarm.keySet());
        assertEquals(hybrid.totalSize(), bySwarm.get(v2).target.left(), "the v2 announce reads the torrent too");
        assertArrayEquals(v2.bytes(), handshakeFrom(bySwarm.get(v2).sink), "dialled in the v2 swarm");
        assertArrayEquals(hybrid.infoHash().bytes(), handshakeFrom(bySwarm.get(hybrid.infoHash()).sink),
                "dialled in the v1 swarm");
    }

    /** Hands {@code sink} a listening socket as a found peer; returns the info-hash its dial hand-shook with. */
    private static byte[] handshakeFrom(PeerSink sink) throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            peer.setSoTimeout(30_000);
            sink.found(List.of(new InetSocketAddress(peer.getInetAddress(), peer.getLocalPort())), "fake");
            try (Socket s = peer.accept()) {
                s.setSoTimeout(30_000);
                byte[] handshake = new byte[68];
                new DataInputStream(s.getInputStream()).readFully(handshake);
                return Arrays.copyOfRange(handshake, 28, 48);
            }
        }
    }

    private TorrentMetainfo hybrid(Path source) throws Exception {
        byte[] data = new byte[100_000];
        new Random(5).nextBytes(data);
        Files.createDirectories(source.getParent());
        Files.write(source, data);
        return TorrentCreator.create(new CreateRequest(source, 16 * 1024, List.of("http://127.0.0.1:1/announce"),
                List.of(), false, null, 1, TorrentVersion.HYBRID), CreateProgress.NONE);
    }
}
