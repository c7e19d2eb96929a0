package io.piecework.tracker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.piecework.api.discovery.Announcement;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The DS entry point, activated the way SCR does it: a Config proxy over Config Admin-shaped properties. */
class TrackerPeerSourceTest {

    /** What SCR hands the constructor: each method answers the property, or the annotation's default. */
    static TrackerPeerSource.Config config(Map<String, Object> properties) {
        return (TrackerPeerSource.Config) Proxy.newProxyInstance(TrackerPeerSource.Config.class.getClassLoader(),
                new Class<?>[] {TrackerPeerSource.Config.class}, (proxy, method, args) -> {
                    Object v = properties.get(method.getName().replace('_', '.'));
                    return v != null ? v : method.getDefaultValue();
                });
    }

    @Test
    void defaultsGiveUpOnADeadUdpTrackerInSecondsNotHours() throws Exception {
        TrackerSettings s = TrackerSettings.from(config(Map.of()));
        assertEquals(50, s.numWant());
        assertEquals(Duration.ofSeconds(3), s.udpRetransmitBase());
        assertEquals(2, s.udpMaxRetransmits());
        assertEquals(Duration.ofSeconds(60), s.udpConnectionTtl());
        assertEquals(Duration.ofSeconds(21), s.udpTimeout(0).plus(s.udpTimeout(1)).plus(s.udpTimeout(2)),
                "3 + 6 + 12 s before the next tier");
        assertEquals(TrackerSettings.DEFAULT.udpRetransmitBase(), s.udpRetransmitBase());
        // The BEP's own timings are still one configuration away.
        TrackerSettings bep = TrackerSettings.from(config(Map.of("udp.retransmit.base.ms", 15_000,
                "udp.max.retransmits", 8)));
        assertEquals(Duration.ofSeconds(15 * 256), bep.udpTimeout(8), "BEP 15: 15 * 2^8 = 3840 s");
        assertEquals(1 << 20, s.limits().maxResponseBytes());
        assertEquals(7, TrackerSettings.from(config(Map.of("numwant", 7))).numWant());
    }

    @Test
    void udpSocketBindsTheConfiguredAddress() throws Exception {
        TrackerPeerSource source = new TrackerPeerSource(config(Map.of("bind.address", "127.0.0.1")));
        try {
            assertEquals(InetAddress.getByName("127.0.0.1"), source.udpLocalAddress().getAddress());
        } finally {
            source.close();
        }
        TrackerPeerSource any = new TrackerPeerSource(config(Map.of()));
        try {
            assertTrue(any.udpLocalAddress().getAddress().isAnyLocalAddress(), "default: every address");
        } finally {
            any.close();
        }
    }

    @Test
    void udpSocketFollowsTheTransportsListenAddressUnlessItHasItsOwn() throws Exception {
        TrackerPeerSource follows = new TrackerPeerSource(config(Map.of()), Map.of("listen.address", "127.0.0.1"));
        try {
            assertEquals(InetAddress.getByName("127.0.0.1"), follows.udpLocalAddress().getAddress());
        } finally {
            follows.close();
        }
        TrackerPeerSource wildcard = new TrackerPeerSource(config(Map.of()), Map.of("listen.address", "0.0.0.0"));
        try {
            assertTrue(wildcard.udpLocalAddress().getAddress().isAnyLocalAddress(), "a wildcard transport: every address");
        } finally {
            wildcard.close();
        }
        TrackerPeerSource own = new TrackerPeerSource(config(Map.of("bind.address", "127.0.0.2")),
                Map.of("listen.address", "127.0.0.1"));
        try {
            assertEquals(InetAddress.getByName("127.0.0.2"), own.udpLocalAddress().getAddress());
        } finally {
            own.close();
        }
    }

    @Test
    void announcesFromActivationAndSendsStoppedOnDeactivation() throws Exception {
        BlockingQueue<String> queries = new LinkedBlockingQueue<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] body = ("d8:intervali1800e5:peers6:" + new String(new byte[] {127, 0, 0, 1, 0x1b, 0x58},
                StandardCharsets.ISO_8859_1) + "e").getBytes(StandardCharsets.ISO_8859_1);
        server.createContext("/announce", ex -> {
            queries.add(ex.getRequestURI().getRawQuery());
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/announce");
            TrackerPeerSource source = new TrackerPeerSource(config(Map.of("numwant", 9)));
            BlockingQueue<List<InetSocketAddress>> found = new LinkedBlockingQueue<>();
            Announcement a = source.announce(new TestTarget(() -> List.of(List.of(uri.toString())), true, () -> 1), (peers, from) -> found.add(peers));
            assertEquals(List.of(new InetSocketAddress("127.0.0.1", 7000)), found.poll(10, TimeUnit.SECONDS));
            String started = queries.poll(10, TimeUnit.SECONDS);
            assertTrue(started.contains("event=started") && started.contains("numwant=9"), started);
            assertTrue(a.status().contains("1 peers"), a.status());

            source.close(); // deactivation: waits (bounded) for the stopped announces
            String stopped = queries.poll(0, TimeUnit.SECONDS);
            assertTrue(stopped != null && stopped.contains("event=stopped"), String.valueOf(stopped));
        } finally {
            server.stop(0);
        }
    }
}
