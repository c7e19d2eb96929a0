package io.piecework.lsd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InfoHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LsdCodecTest {
    private static final String HASH_A = "0123456789abcdef0123456789abcdef01234567";
    private static final String HASH_B = "89abcdef0123456789abcdef0123456789abcdef";

    private static LsdCodec.Announce parse(String text) throws LsdCodec.FormatException {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return LsdCodec.parse(b, b.length);
    }

    private static String refusal(String text) {
        return assertThrows(LsdCodec.FormatException.class, () -> parse(text)).getMessage();
    }

    @Test
    void encodesTheBepsFormat() {
        List<byte[]> out = LsdCodec.encode("239.192.152.143:6771", 6881, List.of(InfoHash.parse(HASH_A)), "c00k1e");
        assertEquals(1, out.size());
        assertEquals("BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\nPort: 6881\r\nInfohash: " + HASH_A
                + "\r\ncookie: c00k1e\r\n\r\n\r\n", new String(out.get(0), StandardCharsets.US_ASCII));
    }

    @Test
    void parsesWhatItEncodesAndWhatLibtorrentSends() throws Exception {
        byte[] ours = LsdCodec.encode("239.192.152.143:6771", 51413,
                List.of(InfoHash.parse(HASH_A), InfoHash.parse(HASH_B)), "abc").get(0);
        LsdCodec.Announce a = LsdCodec.parse(ours, ours.length);
        assertEquals(51413, a.port());
        assertEquals(List.of(InfoHash.parse(HASH_A), InfoHash.parse(HASH_B)), a.infoHashes());
        assertEquals("abc", a.cookie());
        // libtorrent 2.0: upper-case hex, no cookie line order guarantee, an extra blank line
        LsdCodec.Announce lt = parse("BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\nPort: 6881\r\n"
                + "Infohash: " + HASH_B.toUpperCase() + "\r\ncookie: 1a2b\r\n\r\n\r\n");
        assertEquals(List.of(InfoHash.parse(HASH_B)), lt.infoHashes());
        assertEquals("1a2b", lt.cookie());
    }

    @Test
    void toleratesBareNewlinesUnknownHeadersAndNoCookie() throws Exception {
        LsdCodec.Announce a = parse("BT-SEARCH * HTTP/1.1\nHOST: x\nX-Future: 1\nport: 1\ninfohash:" + HASH_A + "\n\n");
        assertEquals(1, a.port());
        assertEquals("", a.cookie());
    }

    @Test
    void splitsManyTorrentsIntoDatagramsThatFitOneFrame() throws Exception {
        List<InfoHash> hashes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            hashes.add(InfoHash.parse(String.format("%040x", i + 1)));
        }
        List<byte[]> out = LsdCodec.encode("239.192.152.143:6771", 65535, hashes, "0123456789abcdef");
        List<InfoHash> back = new ArrayList<>();
        for (byte[] d : out) {
            assertTrue(d.length <= LsdCodec.MAX_SENT, d.length + " bytes");
            back.addAll(LsdCodec.parse(d, d.length).infoHashes());
        }
        assertEquals(hashes, back);
        assertEquals((100 + LsdCodec.perDatagram("239.192.152.143:6771", "0123456789abcdef") - 1)
                / LsdCodec.perDatagram("239.192.152.143:6771", "0123456789abcdef"), out.size());
    }

    @Test
    void refusesWhatIsNotAnAnnounce() {
        String ok = "Host: x\r\nPort: 6881\r\nInfohash: " + HASH_A + "\r\n\r\n";
        assertTrue(refusal("M-SEARCH * HTTP/1.1\r\n" + ok).contains("not a BT-SEARCH"));
        assertTrue(refusal("BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\n\r\n").contains("without an Infohash"));
        assertTrue(refusal("BT-SEARCH * HTTP/1.1\r\nInfohash: " + HASH_A + "\r\n\r\n").contains("without a Port"));
        assertTrue(refusal("BT-SEARCH * HTTP/1.1\r\nPort: 0\r\nInfohash: " + HASH_A + "\r\n").contains("out of range"));
        assertTrue(refusal("BT-SEARCH * HTTP/1.1\r\nPort: 65536\r\nInfohash: " + HASH_A + "\r\n").contains("out of range"));
        assertTrue(refusal("BT-SEARCH * HTTP/1.1\r\nPort: -1\r\nInfohash: " + HASH_A + "\r\n").contains("not a number"));
        assertTrue(refusal("BT-SEARCH * HTTP/1.1\r\nPort: 99999999999\r\nInfohash: " + HASH_A + "\r\n")
                .contains("not a number"));
        assertTrue(refusal("BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nInfohash: " + HASH_A.substring(1) + "\r\n")
                .contains("39 characters"));
        assertTrue(refusal("BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nInfohash: " + HASH_A.replace('a', 'g') + "\r\n")
                .contains("hex"));
        assertTrue(refusal("BT-SEARCH * HTTP/1.1\r\nPort 1\r\n").contains("without a name"));
        assertTrue(refusal("BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nInfohash: " + HASH_A + "\r\n\u0000").contains("0x0"));
        assertTrue(refusal("BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nX: \u00e9\r\n").contains("0xe9"));
        assertTrue(refusal("BT-SEARCH * HTTP/1.1\r\n" + "X: y\r\n".repeat(400)).contains("more than"));
    }

    @Test
    void aRefusalQuotesTheSenderShortened() {
        String m = refusal("<script>alert(1)</script>" + "x".repeat(500) + "\r\n");
        assertTrue(m.length() < 120, m);
    }
}
