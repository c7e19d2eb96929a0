package io.piecework.lsd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InfoHash;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IPv6 announces without multicast: the BEP's Host header, the batch size under it, the settings. */
class LsdCodec6Test {
    private static final LsdSettings SETTINGS = new LsdSettings(true, "239.192.152.143", 6771, List.of(),
            Duration.ofSeconds(300), Duration.ofSeconds(60), 1, 50, LsdSettings.GROUP6);

    @Test
    void ipv6AnnouncesCarryTheBepsHostHeaderAndParseBack() throws Exception {
        assertEquals("[ff15::efc0:988f]:6771", SETTINGS.hostHeader6());
        InfoHash h = InfoHash.parse("0123456789abcdef0123456789abcdef01234567");
        byte[] d = LsdCodec.encode(SETTINGS.hostHeader6(), 51413, List.of(h), "c00k1e").get(0);
        assertEquals("BT-SEARCH * HTTP/1.1\r\nHost: [ff15::efc0:988f]:6771\r\nPort: 51413\r\nInfohash: "
                + h.hex() + "\r\ncookie: c00k1e\r\n\r\n\r\n", new String(d, StandardCharsets.US_ASCII));
        LsdCodec.Announce a = LsdCodec.parse(d, d.length);
        assertEquals(51413, a.port());
        assertEquals(List.of(h), a.infoHashes());
    }

    @Test
    void aFullBatchStaysUnderTheDatagramLimitWithTheLongerIpv6Header() {
        String cookie = "0123456789abcdef";
        int fit = LsdCodec.perDatagram(SETTINGS.hostHeader6(), cookie);
        assertTrue(fit <= LsdCodec.perDatagram(SETTINGS.hostHeader(), cookie));
        List<InfoHash> hashes = new ArrayList<>();
        for (int i = 0; i < fit; i++) {
            byte[] b = new byte[20];
            b[0] = (byte) i;
            hashes.add(InfoHash.of(b));
        }
        List<byte[]> out = LsdCodec.encode(SETTINGS.hostHeader6(), 65535, hashes, cookie);
        assertEquals(1, out.size());
        assertTrue(out.get(0).length <= LsdCodec.MAX_SENT, out.get(0).length + " bytes");
    }

    @Test
    void anIpv4LiteralChoosesThatFamilyOnly() throws Exception {
        LsdInterfaces.Chosen c = LsdInterfaces.choose(List.of("127.0.0.1"));
        assertEquals(1, c.v4().size());
        assertEquals(List.of(), c.v6(), "an IPv4 literal does not turn on IPv6 on its interface");
        LsdInterfaces.Chosen lo6 = LsdInterfaces.choose(List.of("::1"));
        assertEquals(List.of(), lo6.v4());
        assertEquals(1, lo6.v6().size());
    }
}
