package io.piecework.tracker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InfoHash;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpTrackerCodecTest {
    static final InfoHash HASH = InfoHash.parse("0123456789abcdef0123456789abcdef01234567");
    static final byte[] PEER_ID = "-PW0100-abcdefghij~!".getBytes(StandardCharsets.ISO_8859_1);

    static AnnounceRequest request(TrackerEvent event) {
        return new AnnounceRequest(HASH, PEER_ID, 6881, 10, 20, 30, event, 50, 0x1a2b3c4d, null);
    }

    static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            byte[] b = p instanceof String s ? s.getBytes(StandardCharsets.ISO_8859_1) : (byte[]) p;
            out.write(b, 0, b.length);
        }
        return out.toByteArray();
    }

    @Test
    void announceUrlEscapesBinaryFieldsAndCarriesEveryParameter() {
        URI u = HttpTrackerCodec.announceUri(URI.create("http://t.example:6969/announce"), request(TrackerEvent.STARTED));
        assertEquals("http://t.example:6969/announce?info_hash=%01%23Eg%89%AB%CD%EF%01%23Eg%89%AB%CD%EF%01%23Eg"
                + "&peer_id=-PW0100-abcdefghij~%21&port=6881&uploaded=10&downloaded=20&left=30&compact=1"
                + "&key=1A2B3C4D&numwant=50&event=started", u.toString());
    }

    @Test
    void announceUrlKeepsTheTrackersOwnQueryAndSendsTrackerIdBack() {
        AnnounceRequest r = new AnnounceRequest(HASH, PEER_ID, 1, 0, 0, 0, TrackerEvent.NONE, -1, 0, "id 7".getBytes());
        String u = HttpTrackerCodec.announceUri(URI.create("https://t.example/a/announce.php?passkey=xyz"), r).toString();
        assertTrue(u.startsWith("https://t.example/a/announce.php?passkey=xyz&info_hash="), u);
        assertTrue(u.endsWith("&key=00000000&trackerid=id%207"), u);
        assertFalse(u.contains("event="), u);
        assertFalse(u.contains("numwant"), u);
    }

    @Test
    void scrapeUrlReplacesAnnounceInTheLastSegment() {
        assertEquals("http://t.example/x/scrape.php?passkey=1&info_hash=%01%23Eg%89%AB%CD%EF%01%23Eg%89%AB%CD%EF%01%23Eg",
                HttpTrackerCodec.scrapeUri(URI.create("http://t.example/x/announce.php?passkey=1"), List.of(HASH))
                        .orElseThrow().toString());
        assertTrue(HttpTrackerCodec.scrapeUri(URI.create("http://t.example/a"), List.of(HASH)).isEmpty());
        assertTrue(HttpTrackerCodec.scrapeUri(URI.create("http://t.example/announce/x"), List.of(HASH)).isEmpty());
    }

    @Test
    void parsesCompactIpv4AndIpv6PeersWithIntervalsCountsAndWarning() throws Exception {
        byte[] body = bytes("d8:completei3e10:incompletei4e8:intervali1800e12:min intervali900e5:peers12:",
                new byte[] {127, 0, 0, 1, 0x1a, (byte) 0xe1, 10, 0, 0, 2, 0, 80},
                "6:peers618:", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x1b, 0x39},
                "10:tracker id3:abc15:warning message4:slowe");
        AnnounceResponse r = HttpTrackerCodec.parseAnnounce(body, TrackerLimits.DEFAULT);
        assertEquals(1800, r.interval());
        assertEquals(900, r.minInterval());
        assertEquals(3, r.seeders());
        assertEquals(4, r.leechers());
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 6881), new InetSocketAddress("10.0.0.2", 80),
                new InetSocketAddress("::1", 6969)), r.peers());
        assertEquals("slow", r.warning());
        assertArrayEquals("abc".getBytes(), r.trackerId());
    }

    @Test
    void parsesDictionaryPeersAndSkipsHostNamesWithoutResolvingThem() throws Exception {
        byte[] body = bytes("d8:intervali60e5:peersl",
                "d2:ip9:127.0.0.17:peer id20:xxxxxxxxxxxxxxxxxxxx4:porti5000ee",
                "d2:ip11:example.com4:porti5001ee",
                "d2:ip3:::14:porti5002ee",
                "d2:ip9:1.2.3.4.54:porti5003ee",
                "ee");
        AnnounceResponse r = HttpTrackerCodec.parseAnnounce(body, TrackerLimits.DEFAULT);
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 5000), new InetSocketAddress("::1", 5002)), r.peers());
        assertNull(r.warning());
        assertEquals(-1, r.minInterval());
    }

    @Test
    void failureReasonIsReportedByTheTracker() {
        TrackerException e = assertThrows(TrackerException.class, () -> HttpTrackerCodec.parseAnnounce(
                bytes("d14:failure reason63:Requested download is not authorized for use with this tracker.e"),
                TrackerLimits.DEFAULT));
        assertTrue(e.reportedByTracker());
        assertEquals("Requested download is not authorized for use with this tracker.", e.getMessage());
    }

    @Test
    void rejectsNonStrictBencodeTruncatedPeersAndOversizedBodies() {
        TrackerLimits small = new TrackerLimits(64, 10, 16);
        for (byte[] bad : List.of(bytes("d8:intervali060ee"), bytes("d5:peers5:abcdee"), bytes("d6:peers65:abcdee"),
                bytes("le"), bytes("d8:intervali1e8:intervali1ee"), bytes("d8:interval1:xe"), bytes("d5:peersi1ee"),
                bytes("d8:intervali1e5:peers", "70:", new byte[70], "e"))) {
            TrackerException e = assertThrows(TrackerException.class, () -> HttpTrackerCodec.parseAnnounce(bad, small),
                    new String(bad, StandardCharsets.ISO_8859_1));
            assertFalse(e.reportedByTracker());
        }
    }

    @Test
    void keepsAtMostMaxPeersAndDropsDuplicatesAndPortZero() throws Exception {
        byte[] compact = new byte[6 * 30];
        for (int i = 0; i < 30; i++) {
            compact[i * 6] = 10;
            compact[i * 6 + 3] = (byte) (i / 2); // pairs of duplicates
            compact[i * 6 + 5] = (byte) (i < 2 ? 0 : 1); // the first address has port 0
        }
        AnnounceResponse r = HttpTrackerCodec.parseAnnounce(bytes("d5:peers180:", compact, "e"),
                new TrackerLimits(1024, 5, 16));
        assertEquals(5, r.peers().size());
        assertEquals(new InetSocketAddress("10.0.0.1", 1), r.peers().get(0));
        assertEquals(new InetSocketAddress("10.0.0.5", 1), r.peers().get(4));
    }

    @Test
    void clampsNegativeIntervalsAndClipsLongWarnings() throws Exception {
        String warning = "w".repeat(100);
        AnnounceResponse r = HttpTrackerCodec.parseAnnounce(bytes("d8:intervali-5e15:warning message100:" + warning + "e"),
                new TrackerLimits(1024, 5, 16));
        assertEquals(0, r.interval());
        assertEquals("w".repeat(16) + "...", r.warning());
    }

    @Test
    void parsesScrapeFilesKeyedByInfoHash() throws Exception {
        byte[] body = bytes("d5:filesd20:", HASH.bytes(), "d8:completei1e10:downloadedi7e10:incompletei2ee",
                "3:odd", "d8:completei1eee", "e");
        Map<InfoHash, ScrapeStats> s = HttpTrackerCodec.parseScrape(body, TrackerLimits.DEFAULT);
        assertEquals(Map.of(HASH, new ScrapeStats(1, 7, 2)), s);
        assertThrows(TrackerException.class, () -> HttpTrackerCodec.parseScrape(bytes("de"), TrackerLimits.DEFAULT));
    }
}
