package io.piecework.lsd.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.discovery.Announcement;
import io.piecework.api.metainfo.InfoHash;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two LSD nodes on this host, multicast over loopback on a group port found free at run
 * time: each finds the other, neither finds itself, private torrents stay off the network, and
 * junk datagrams are counted and dropped.
 */
class LocalDiscoveryTest {
    private static final String HASH = "0123456789abcdef0123456789abcdef01234567";
    private static final Duration BOUND = Duration.ofSeconds(20);
    private int port;
    private LocalDiscovery a;
    private LocalDiscovery b;

    @BeforeEach
    void twoNodes() throws Exception {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        a = new LocalDiscovery(settings());
        b = new LocalDiscovery(settings());
    }

    private LsdSettings settings() {
        return new LsdSettings(true, "239.192.152.143", port, List.of("127.0.0.1"), Duration.ofSeconds(300),
                Duration.ofMillis(50), 1, 1000);
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    @Test
    void twoNodesOnOneHostFindEachOtherAndNotThemselves() {
        List<InetSocketAddress> foundByA = new CopyOnWriteArrayList<>();
        List<InetSocketAddress> foundByB = new CopyOnWriteArrayList<>();
        try (Announcement x = a.announce(Target.of(HASH, 40001), (p, src) -> foundByA.addAll(p));
             Announcement y = b.announce(Target.of(HASH, 40002), (p, src) -> foundByB.addAll(p))) {
            await().atMost(BOUND).until(() -> !foundByA.isEmpty() && !foundByB.isEmpty());
            assertEquals(new InetSocketAddress("127.0.0.1", 40002), foundByA.get(0));
            assertEquals(new InetSocketAddress("127.0.0.1", 40001), foundByB.get(0));
            assertTrue(foundByA.stream().noneMatch(p -> p.getPort() == 40001), "found itself: " + foundByA);
            assertTrue(x.status().contains("announced"), x.status());
        }
    }

    @Test
    void aPrivateTorrentIsNeitherAnnouncedNorGivenLocalPeers() throws Exception {
        List<InetSocketAddress> foundByA = new CopyOnWriteArrayList<>();
        List<InetSocketAddress> foundByB = new CopyOnWriteArrayList<>();
        InfoHash hash = InfoHash.parse(HASH);
        try (Announcement x = a.announce(new Target(hash, 40001, true), (p, src) -> foundByA.addAll(p));
             Announcement y = b.announce(Target.of(HASH, 40002), (p, src) -> foundByB.addAll(p))) {
            assertTrue(x.status().contains("private"), x.status());
            // b's announce reaches a, which must not hand it to the private torrent; a says nothing.
            await().atMost(BOUND).until(() -> y.status().contains("announced "));
            send(LsdCodec.encode("239.192.152.143:" + port, 40003, List.of(hash), "other").get(0));
            sendJunkAndWaitUntilCounted(a, 1);
            assertEquals(List.of(), foundByA);
            assertTrue(foundByB.stream().noneMatch(p -> p.getPort() == 40001), "a announced: " + foundByB);
        }
    }

    @Test
    void junkIsCountedAndDroppedAndAValidAnnounceStillGetsThrough() throws Exception {
        List<InetSocketAddress> foundByA = new CopyOnWriteArrayList<>();
        try (Announcement x = a.announce(Target.of(HASH, 40001), (p, src) -> foundByA.addAll(p))) {
            send("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            send(new byte[LsdCodec.MAX_PACKET + 1]);
            send(("BT-SEARCH * HTTP/1.1\r\nPort: 99999\r\nInfohash: " + HASH + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            await().atMost(BOUND).until(() -> a.refused() >= 3);
            send(LsdCodec.encode("239.192.152.143:" + port, 40009, List.of(InfoHash.parse(HASH)), "x").get(0));
            await().atMost(BOUND).until(() -> foundByA.contains(new InetSocketAddress("127.0.0.1", 40009)));
        }
    }

    @Test
    void offWhenDisabled() throws Exception {
        try (LocalDiscovery off = new LocalDiscovery(new LsdSettings(false, "239.192.152.143", port, List.of(),
                Duration.ofSeconds(300), Duration.ofMillis(50), 1, 10))) {
            assertEquals(-1, off.refused());
            assertTrue(off.announce(Target.of(HASH, 1), (p, src) -> { }).status().contains("off"));
        }
    }

    /** Sends junk and waits until {@code node} counted it: everything sent before has been read. */
    private void sendJunkAndWaitUntilCounted(LocalDiscovery node, int more) throws Exception {
        long before = node.refused();
        send("junk".getBytes(StandardCharsets.US_ASCII));
        await().atMost(BOUND).until(() -> node.refused() >= before + more);
    }

    private void send(byte[] datagram) throws Exception {
        try (MulticastSocket s = new MulticastSocket(0)) {
            s.setInterface(InetAddress.getLoopbackAddress());
            s.send(new DatagramPacket(datagram, datagram.length, InetAddress.getByName("239.192.152.143"), port));
        }
    }
}
