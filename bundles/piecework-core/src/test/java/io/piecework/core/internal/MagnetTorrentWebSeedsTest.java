package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.bencode.Bencode;
import io.piecework.metainfo.MagnetLinks;
import io.piecework.metainfo.MetainfoParser;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A magnet's ws= web seeds become the url-list of the torrent its metadata makes (BEP 19 + BEP 9). */
class MagnetTorrentWebSeedsTest {
    @Test
    void theLinksWebSeedsAndTrackersSurroundTheInfoDictionary() throws Exception {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("length", 5);
        info.put("name", "a.bin");
        info.put("piece length", 16384);
        info.put("pieces", new byte[20]);
        byte[] infoBytes = Bencode.encodeObject(info);
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(infoBytes));
        var magnet = MagnetLinks.parse("magnet:?xt=urn:btih:" + hash + "&tr=http://t/announce"
                + "&ws=http%3A%2F%2F127.0.0.1%3A1%2Fa.bin&ws=https://m/");
        TorrentMetainfo t = MetainfoParser.parse(MagnetTorrentFile.of(magnet, infoBytes));
        assertEquals(hash, t.infoHash().hex());
        assertEquals(List.of("http://127.0.0.1:1/a.bin", "https://m/"), t.webSeeds());
        assertEquals(List.of(List.of("http://t/announce")), t.trackerTiers());
        TorrentMetainfo bare = MetainfoParser.parse(MagnetTorrentFile.of(MagnetLinks.parse("magnet:?xt=urn:btih:"
                + hash), infoBytes));
        assertEquals(List.of(), bare.webSeeds());
    }
}
