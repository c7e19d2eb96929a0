package io.piecework.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;

/**
 * Coverage-guided fuzzing of the tracker response codecs (docs/fuzzing.md). Without JAZZER_FUZZ
 * this replays TrackerFuzzTestInputs/ as ordinary tests.
 *
 * <p>Byte 0 picks the codec: even an HTTP body (announce and scrape), odd a UDP packet, with
 * byte 1 saying whether it came from an IPv6 tracker and how many torrents the scrape asked.
 * Contract: a bounded result or a {@link TrackerException}, nothing else.
 */
class TrackerFuzzTest {
    private static final TrackerLimits TIGHT = new TrackerLimits(4096, 20, 32);
    private static final int WEEK = 7 * 24 * 3600;

    @DictionaryEntries({"8:interval", "12:min interval", "8:complete", "10:incomplete", "5:peers", "6:peers6",
            "2:ip", "4:port", "7:peer id", "10:tracker id", "15:warning message", "14:failure reason",
            "5:files", "10:downloaded", "::", "127.0.0.1"})
    @FuzzTest(maxDuration = "10m")
    void response(byte[] input) {
        if (input.length < 2) {
            return;
        }
        if ((input[0] & 1) == 0) {
            byte[] body = Arrays.copyOfRange(input, 1, input.length);
            for (TrackerLimits limits : List.of(TIGHT, TrackerLimits.DEFAULT)) {
                announce(body, limits);
                scrape(body, limits);
            }
        } else {
            ByteBuffer packet = ByteBuffer.wrap(input, 2, input.length - 2).slice();
            for (TrackerLimits limits : List.of(TIGHT, TrackerLimits.DEFAULT)) {
                udp(packet, (input[1] & 1) != 0, (input[1] & 0xff) >>> 1, limits);
            }
        }
    }

    private static void announce(byte[] body, TrackerLimits limits) {
        AnnounceResponse r;
        try {
            r = HttpTrackerCodec.parseAnnounce(body, limits);
        } catch (TrackerException e) {
            assertTrue(e.getMessage().length() <= limits.maxMessageChars() + 3 || !e.reportedByTracker(),
                    "tracker's failure reason not clipped");
            return;
        }
        assertPeers(r.peers(), limits);
        assertTrue(r.interval() >= -1 && r.interval() <= WEEK && r.minInterval() >= -1 && r.minInterval() <= WEEK);
        assertTrue(r.seeders() >= -1 && r.leechers() >= -1);
        assertTrue(r.warning() == null || r.warning().length() <= limits.maxMessageChars() + 3);
        assertTrue(r.trackerId() == null || r.trackerId().length <= 256);
    }

    private static void scrape(byte[] body, TrackerLimits limits) {
        try {
            assertTrue(HttpTrackerCodec.parseScrape(body, limits).size() <= body.length / 20);
        } catch (TrackerException e) {
            // refused
        }
    }

    private static void udp(ByteBuffer packet, boolean ipv6, int scraped, TrackerLimits limits) {
        UdpPacket p;
        try {
            p = UdpTrackerCodec.decode(packet, ipv6, scraped, limits);
        } catch (TrackerException e) {
            return;
        }
        assertEquals(0, packet.position(), "decode moved the caller's buffer");
        assertEquals(OptionalInt.of(p.transactionId()), UdpTrackerCodec.transactionId(packet));
        if (p instanceof UdpPacket.Announced a) {
            assertPeers(a.response().peers(), limits);
            // 6-byte entries can only be IPv4. 18-byte ones are IPv6, or IPv4-mapped (::ffff:a.b.c.d),
            // which Java turns into the IPv4 peer it denotes (see udp-announce-v6-mapped-v4).
            assertTrue(ipv6 || a.response().peers().stream().allMatch(s -> s.getAddress() instanceof Inet4Address),
                    "a 6-byte entry became a non-IPv4 peer");
            assertTrue(a.response().interval() >= 0 && a.response().interval() <= WEEK);
        } else if (p instanceof UdpPacket.Scraped s) {
            assertTrue(s.stats().size() <= scraped);
        } else if (p instanceof UdpPacket.Error e) {
            assertTrue(e.message().length() <= limits.maxMessageChars() + 3);
        }
    }

    private static void assertPeers(List<InetSocketAddress> peers, TrackerLimits limits) {
        assertTrue(peers.size() <= limits.maxPeers(), peers.size() + " peers");
        assertEquals(peers.size(), new HashSet<>(peers).size(), "duplicate peers");
        assertTrue(peers.stream().allMatch(s -> s.getPort() > 0 && !s.isUnresolved()), "port 0 or a host name");
    }
}
