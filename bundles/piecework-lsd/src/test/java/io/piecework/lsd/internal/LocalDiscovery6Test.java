package io.piecework.lsd.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.discovery.Announcement;
import io.piecework.api.metainfo.InfoHash;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * BEP 14 over IPv6 (ff15::efc0:988f). The loopback interface here has no MULTICAST flag and the
 * kernel refuses IPv6 multicast on it (sendto: network unreachable), so the multicast test runs
 * on a veth pair it creates (root with CAP_NET_ADMIN) and deletes afterwards; without one it is
 * skipped with the reason. The announce format and the interface choice are tested without
 * multicast.
 */
class LocalDiscovery6Test {
    private static final String HASH = "0123456789abcdef0123456789abcdef01234567";
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static String veth;

    @BeforeAll
    static void createVeth() throws Exception {
        String name = "pw" + HexFormat.of().formatHex(new byte[] {(byte) new Random().nextInt(), (byte) new Random()
                .nextInt(), (byte) new Random().nextInt()});
        String peer = "pq" + name.substring(2);
        String why = ip("link", "add", name, "type", "veth", "peer", "name", peer);
        if (why == null) {
            veth = name;
            why = ip("link", "set", name, "up");
            why = why != null ? why : ip("link", "set", peer, "up");
        }
        if (why == null) {
            // Multicast needs a usable link-local address: wait out duplicate address detection.
            await().atMost(BOUND).until(() -> linkLocalReady(name));
        }
        if (why != null) {
            System.out.println("LocalDiscovery6Test: IPv6 multicast test skipped: " + why);
        }
        Assumptions.assumeTrue(why == null, "IPv6 multicast needs an interface with the MULTICAST flag; loopback "
                + "has none here and no veth pair could be made: " + why);
    }

    @AfterAll
    static void deleteVeth() throws Exception {
        if (veth != null) {
            ip("link", "del", veth); // takes its peer with it
        }
    }

    /** Runs {@code ip}; null when it succeeded, else why not. */
    private static String ip(String... args) throws InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", command) + " did not finish";
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 ? null : String.join(" ", command) + ": " + out;
        } catch (IOException e) {
            return "no ip command: " + e.getMessage();
        }
    }

    private static boolean linkLocalReady(String name) throws Exception {
        Process p = new ProcessBuilder("ip", "-6", "addr", "show", "dev", name).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out.contains("inet6 fe80") && !out.contains("tentative");
    }

    private static LsdSettings settings(int port) {
        // Announces repeat every 200 ms: multicast is UDP, and a fresh interface may lose the first one.
        return new LsdSettings(true, "239.192.152.143", port, List.of(veth), Duration.ofMillis(200),
                Duration.ofMillis(50), 1, 1000, LsdSettings.GROUP6);
    }

    @Test
    void twoNodesFindEachOtherOverIpv6MulticastAndNotThemselves() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        NetworkInterface nif = NetworkInterface.getByName(veth);
        assertEquals(List.of(), LsdInterfaces.choose(List.of(veth)).v4(), "the veth has no IPv4 address");
        assertEquals(List.of(nif), LsdInterfaces.choose(List.of(veth)).v6());
        List<InetSocketAddress> foundByA = new CopyOnWriteArrayList<>();
        List<InetSocketAddress> foundByB = new CopyOnWriteArrayList<>();
        try (LocalDiscovery a = new LocalDiscovery(settings(port));
             LocalDiscovery b = new LocalDiscovery(settings(port));
             Announcement x = a.announce(Target.of(HASH, 40001), (p, src) -> foundByA.addAll(p));
             Announcement y = b.announce(Target.of(HASH, 40002), (p, src) -> foundByB.addAll(p));
             Announcement secret = a.announce(new Target(InfoHash.parse(HASH.replace('0', 'f')), 40003, true),
                     (p, src) -> { })) {
            await().atMost(BOUND).until(() -> !foundByA.isEmpty() && !foundByB.isEmpty());
            InetSocketAddress fromB = foundByA.get(0);
            assertTrue(fromB.getAddress() instanceof Inet6Address && fromB.getPort() == 40002, "A found " + foundByA);
            assertTrue(fromB.getAddress().isLinkLocalAddress(), "the sender's link-local address: " + fromB);
            assertEquals(40001, foundByB.get(0).getPort(), "B found " + foundByB);
            assertTrue(foundByA.stream().noneMatch(p -> p.getPort() == 40001), "found itself: " + foundByA);
            assertTrue(secret.status().contains("private"), secret.status());
            assertTrue(foundByB.stream().noneMatch(p -> p.getPort() == 40003), "a private torrent went out: " + foundByB);
        }
    }
}
