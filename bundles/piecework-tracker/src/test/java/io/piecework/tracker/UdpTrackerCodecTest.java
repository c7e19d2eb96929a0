package io.piecework.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class UdpTrackerCodecTest {
    static final HexFormat HEX = HexFormat.of();

    @Test
    void connectRequestCarriesTheMagicActionAndTransaction() {
        assertEquals("0000041727101980" + "00000000" + "deadbeef", HEX.formatHex(UdpTrackerCodec.connect(0xdeadbeef)));
    }

    @Test
    void announceRequestLaysOutEveryFieldBigEndian() {
        byte[] p = UdpTrackerCodec.announce(0x0102030405060708L, 7, HttpTrackerCodecTest.request(TrackerEvent.STOPPED));
        assertEquals(98, p.length);
        assertEquals("0102030405060708" + "00000001" + "00000007"
                + "0123456789abcdef0123456789abcdef01234567"
                + HEX.formatHex(HttpTrackerCodecTest.PEER_ID)
                + "0000000000000014" + "000000000000001e" + "000000000000000a"
                + "00000003" + "00000000" + "1a2b3c4d" + "00000032" + "1ae1", HEX.formatHex(p));
    }

    @Test
    void scrapeRequestListsHashes() {
        byte[] p = UdpTrackerCodec.scrape(9, 8, List.of(HttpTrackerCodecTest.HASH));
        assertEquals("0000000000000009" + "00000002" + "00000008" + HttpTrackerCodecTest.HASH.hex(), HEX.formatHex(p));
        assertThrows(IllegalArgumentException.class, () -> UdpTrackerCodec.scrape(9, 8, List.of()));
    }

    @Test
    void decodesConnectAnnounceScrapeAndError() throws Exception {
        UdpPacket c = decode("00000000" + "0000002a" + "1122334455667788", false, 0);
        assertEquals(new UdpPacket.Connected(42, 0x1122334455667788L), c);

        UdpPacket a = decode("00000001" + "0000002a" + "00000708" + "00000002" + "00000003"
                + "7f0000011ae1" + "0a0000020050" + "ffff", false, 0);
        AnnounceResponse r = assertInstanceOf(UdpPacket.Announced.class, a).response();
        assertEquals(1800, r.interval());
        assertEquals(2, r.leechers());
        assertEquals(3, r.seeders());
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 6881), new InetSocketAddress("10.0.0.2", 80)), r.peers());

        UdpPacket a6 = decode("00000001" + "0000002a" + "00000708" + "00000000" + "00000001"
                + "00000000000000000000000000000001" + "1ae1", true, 0);
        assertEquals(List.of(new InetSocketAddress("::1", 6881)),
                assertInstanceOf(UdpPacket.Announced.class, a6).response().peers());

        UdpPacket s = decode("00000002" + "0000002a" + "000000010000000700000002" + "000000090000000900000009", false, 1);
        assertEquals(new UdpPacket.Scraped(42, List.of(new ScrapeStats(1, 7, 2))), s);

        UdpPacket e = decode("00000003" + "0000002a" + HEX.formatHex("no such torrent".getBytes()), false, 0);
        assertEquals(new UdpPacket.Error(42, "no such torrent"), e);
    }

    @Test
    void rejectsShortPacketsAndUnknownActions() {
        for (String bad : List.of("", "00000000", "00000000000000010000", "0000000100000001" + "0000",
                "00000009" + "00000001")) {
            assertThrows(TrackerException.class, () -> decode(bad, false, 1), bad);
        }
    }

    private static UdpPacket decode(String hex, boolean ipv6, int scraped) throws TrackerException {
        return UdpTrackerCodec.decode(ByteBuffer.wrap(HEX.parseHex(hex)), ipv6, scraped, TrackerLimits.DEFAULT);
    }
}
