package io.piecework.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.api.metainfo.MagnetLink;
import io.piecework.api.metainfo.TorrentMetainfo;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MagnetLinksTest {
    private static final String HEX = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";

    private static InvalidTorrentException rejects(String uri, String where) {
        InvalidTorrentException e = assertThrows(InvalidTorrentException.class, () -> MagnetLinks.parse(uri), uri);
        assertEquals(where, e.where(), e.getMessage());
        return e;
    }

    @Test
    void parsesHexInfoHashNameTrackersPeersAndSelection() throws Exception {
        MagnetLink m = MagnetLinks.parse("magnet:?xt=urn:btih:" + HEX.toUpperCase()
                + "&dn=Caf%C3%A9+Music&tr=udp%3A%2F%2Ftracker.example%3A6969&tr=http://t2/announce"
                + "&x.pe=10.0.0.1:6881&x.pe=%5B2001:db8::1%5D:51413&x.pe=peer.example:80&so=0,2,4-6");
        assertEquals(HEX, m.infoHash().hex());
        assertEquals(Optional.of("Café Music"), m.displayName());
        assertEquals(List.of("udp://tracker.example:6969", "http://t2/announce"), m.trackers());
        assertEquals(List.of("10.0.0.1:6881", "[2001:db8::1]:51413", "peer.example:80"), m.peers());
        assertEquals(List.of(0, 2, 4, 5, 6), m.selectOnly());
    }

    @Test
    void parsesBase32InfoHash() throws Exception {
        InfoHash h = InfoHash.parse(HEX);
        MagnetLink m = MagnetLinks.parse("magnet:?xt=urn:btih:" + h.base32().toLowerCase());
        assertEquals(h, m.infoHash());
        assertEquals(Optional.empty(), m.displayName());
    }

    @Test
    void ignoresUnknownAndValuelessParametersAndAcceptsAHybridV2Hash() throws Exception {
        MagnetLink m = MagnetLinks.parse("MAGNET:?ws=http://x&xt=urn:btmh:1220" + "ab".repeat(32)
                + "&flag&xl=123&xt=urn:btih:" + HEX + "&&kt=a+b");
        assertEquals(HEX, m.infoHash().hex());
    }

    @Test
    void rejectsWhatIsNotAMagnet() {
        rejects("http://example.com/?xt=urn:btih:" + HEX, "magnet");
        rejects("magnet:", "magnet");
        rejects("", "magnet");
    }

    @Test
    void rejectsMissingInfoHash() {
        rejects("magnet:?dn=x", "xt");
        rejects("magnet:?xt=urn:sha1:abc", "xt");
    }

    @Test
    void rejectsDuplicateInfoHash() {
        rejects("magnet:?xt=urn:btih:" + HEX + "&xt=urn:btih:" + HEX, "xt");
    }

    @Test
    void rejectsInvalidInfoHashes() {
        rejects("magnet:?xt=urn:btih:" + HEX.substring(1), "xt");          // 39 hex
        rejects("magnet:?xt=urn:btih:" + HEX.replace('c', 'g'), "xt");     // not hex
        rejects("magnet:?xt=urn:btih:" + "1".repeat(32), "xt");            // '1' is not base32
        rejects("magnet:?xt=urn:btih:", "xt");
    }

    @Test
    void rejectsBadPercentEscapesAndInvalidUtf8() {
        rejects("magnet:?xt=urn:btih:" + HEX + "&dn=a%2", "dn");
        rejects("magnet:?xt=urn:btih:" + HEX + "&dn=a%zz", "dn");
        rejects("magnet:?xt=urn:btih:" + HEX + "&dn=%C3%28", "dn");
    }

    @Test
    void rejectsBadSelectOnlyRanges() {
        for (String so : new String[] {"", "a", "1,,2", "-1", "3-1", "1-", "1-2-3", "99999999999", "0-100000"}) {
            rejects("magnet:?xt=urn:btih:" + HEX + "&so=" + so, "so");
        }
    }

    @Test
    void acceptsSelectOnlyUpToTheBoundAndMergesOverlaps() throws Exception {
        assertEquals(MagnetLinks.MAX_SELECTED,
                MagnetLinks.parse("magnet:?xt=urn:btih:" + HEX + "&so=0-99999").selectOnly().size());
        assertEquals(List.of(1, 2, 3, 7),
                MagnetLinks.parse("magnet:?xt=urn:btih:" + HEX + "&so=7,1-3,2").selectOnly());
    }

    @Test
    void rejectsBadPeers() {
        for (String pe : new String[] {"10.0.0.1", "10.0.0.1:0", "10.0.0.1:65536", "10.0.0.1:x", ":80",
                "[::1]", "[::1:80", "[zz]:80", "2001:db8::1:80", "a%20b:80", "[]:80"}) {
            rejects("magnet:?xt=urn:btih:" + HEX + "&x.pe=" + pe, "x.pe");
        }
    }

    @Test
    void formatsWithPercentEncodingAndRoundTrips() throws Exception {
        MagnetLink m = new MagnetLink(InfoHash.parse(HEX), Optional.of("Zoë & friends/+=?"),
                List.of("udp://t.example:6969/announce", "http://t2/a?x=1&y=2"),
                List.of("10.0.0.1:6881", "[2001:db8::1]:51413"), List.of(0, 2, 4, 5, 6));
        String uri = MagnetLinks.format(m);
        assertEquals("magnet:?xt=urn:btih:" + HEX + "&dn=Zo%C3%AB%20%26%20friends%2F%2B%3D%3F"
                + "&tr=udp%3A%2F%2Ft.example%3A6969%2Fannounce&tr=http%3A%2F%2Ft2%2Fa%3Fx%3D1%26y%3D2"
                + "&x.pe=10.0.0.1%3A6881&x.pe=%5B2001%3Adb8%3A%3A1%5D%3A51413&so=0,2,4-6", uri);
        assertEquals(m, MagnetLinks.parse(uri));
    }

    @Test
    void minimalMagnetRoundTrips() throws Exception {
        MagnetLink m = new MagnetLink(InfoHash.parse(HEX), Optional.empty(), List.of(), List.of(), List.of());
        assertEquals("magnet:?xt=urn:btih:" + HEX, MagnetLinks.format(m));
        assertEquals(m, MagnetLinks.parse(MagnetLinks.format(m)));
    }

    @Test
    void magnetOfATorrentHasItsHashNameAndTrackersInTierOrder() throws Exception {
        var t = Torrents.singleFile("f", 1);
        t.put("announce-list", List.of(List.of("udp://a:1", "udp://b:2"), List.of("udp://c:3")));
        TorrentMetainfo meta = MetainfoParser.parse(Torrents.encode(t));
        MagnetLink m = MagnetLinks.of(meta);
        assertEquals(meta.infoHash(), m.infoHash());
        assertEquals(Optional.of("f"), m.displayName());
        assertEquals(List.of("udp://a:1", "udp://b:2", "udp://c:3"), m.trackers());
    }
}
