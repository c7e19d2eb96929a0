package io.piecework.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InfoHashV2;
import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.api.metainfo.MagnetLink;
import io.piecework.api.metainfo.TorrentMetainfo;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** BEP 52 magnets: {@code xt=urn:btmh:1220<sha256 hex>}, alone or with {@code urn:btih:}. */
class MagnetLinksV2Test {
    private static final String V1 = "654eed4df9570c787d862a74360a3b2d48b180e3";
    private static final String V2 = "7709181fec7ec94dc68d427f0268786be9dd9f60a0e109d07254c4ca21b74a28";

    @Test
    void v2OnlyMagnetIsKnownByItsTruncatedHash() throws Exception {
        MagnetLink m = MagnetLinks.parse("magnet:?xt=urn:btmh:1220" + V2.toUpperCase() + "&dn=d");
        assertTrue(m.v2Only());
        assertEquals(Optional.of(InfoHashV2.parse(V2)), m.infoHashV2());
        assertEquals(V2.substring(0, 40), m.infoHash().hex());
        assertEquals("magnet:?xt=urn:btmh:1220" + V2 + "&dn=d", MagnetLinks.format(m));
        assertEquals(m, MagnetLinks.parse(MagnetLinks.format(m)));
    }

    @Test
    void hybridMagnetCarriesBothHashesInEitherOrder() throws Exception {
        MagnetLink m = MagnetLinks.parse("magnet:?xt=urn:btmh:1220" + V2 + "&xt=urn:btih:" + V1);
        assertFalse(m.v2Only());
        assertEquals(V1, m.infoHash().hex());
        assertEquals(V2, m.infoHashV2().orElseThrow().hex());
        assertEquals("magnet:?xt=urn:btih:" + V1 + "&xt=urn:btmh:1220" + V2, MagnetLinks.format(m));
    }

    @Test
    void magnetOfAHybridOrV2TorrentNamesTheV2Hash() throws Exception {
        TorrentMetainfo hybrid = MetainfoParser.parse(Torrents.resource("libtorrent-hybrid.torrent"));
        assertEquals("magnet:?xt=urn:btih:" + V1 + "&xt=urn:btmh:1220" + V2 + "&dn=d",
                MagnetLinks.format(MagnetLinks.of(hybrid)));
        TorrentMetainfo v2 = MetainfoParser.parse(Torrents.resource("libtorrent-v2.torrent"));
        assertTrue(MagnetLinks.format(MagnetLinks.of(v2)).startsWith("magnet:?xt=urn:btmh:1220d4941e07"));
        assertTrue(MagnetLinks.of(v2).v2Only());
    }

    @Test
    void badBtmhValuesAreRefusedNamingXt() {
        for (String bad : new String[] {
                "1220" + V2.substring(2),             // too short
                "1220" + V2 + "00",                    // too long
                "1114" + V2.substring(0, 60),          // SHA-1 multihash: right length, wrong function
                "1220" + V2.substring(0, 62) + "zz",   // not hex
                "1220" + "a".repeat(100_000)}) {       // huge: refused by length, shown by length
            InvalidTorrentException e = assertThrows(InvalidTorrentException.class,
                    () -> MagnetLinks.parse("magnet:?xt=urn:btmh:" + bad), bad.substring(0, 10));
            assertEquals("xt", e.where());
            assertTrue(e.getMessage().length() < 300, e.getMessage());
        }
        InvalidTorrentException e = assertThrows(InvalidTorrentException.class,
                () -> MagnetLinks.parse("magnet:?xt=urn:btmh:1220" + V2 + "&xt=urn:btmh:1220" + V2));
        assertTrue(e.getMessage().contains("more than one urn:btmh"), e.getMessage());
    }
}
