package io.piecework.metainfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.bencode.BDictionary;
import io.piecework.bencode.Bencode;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetainfoWriterTest {

    @Test
    void writesTheOriginalInfoBytesSoTheInfoHashSurvives() throws Exception {
        Map<String, Object> t = Torrents.multiFile("d", "a", 10, "b/c", 20);
        Torrents.info(t).put("x-extension", List.of("kept", 42L)); // unknown to the model
        Torrents.info(t).put("private", 1L);
        TorrentMetainfo m = MetainfoParser.parse(Torrents.encode(t));
        byte[] written = MetainfoWriter.write(m);
        TorrentMetainfo again = MetainfoParser.parse(written);
        assertEquals(m.infoHash(), again.infoHash());
        BDictionary top = (BDictionary) Bencode.decode(written);
        assertEquals(ByteBuffer.wrap(Bencode.encodeObject(Torrents.info(t))), top.get("info").raw());
    }

    @Test
    void writesTrackersWebSeedsAndDescriptiveFields() throws Exception {
        Map<String, Object> t = Torrents.singleFile("f", 1);
        t.put("announce-list", List.of(List.of("udp://a:1", "udp://b:2"), List.of("udp://c:3")));
        t.put("url-list", List.of("http://seed/"));
        t.put("comment", "hello");
        t.put("created by", "me");
        t.put("creation date", 12345L);
        TorrentMetainfo m = MetainfoParser.parse(Torrents.encode(t));
        TorrentMetainfo again = MetainfoParser.parse(MetainfoWriter.write(m));
        assertEquals(m.trackerTiers(), again.trackerTiers());
        assertEquals(List.of("http://seed/"), again.webSeeds());
        assertEquals("hello", again.comment().orElseThrow());
        assertEquals("me", again.createdBy().orElseThrow());
        assertEquals(12345L, again.creationDate().orElseThrow());
    }

    @Test
    void aCanonicalTorrentIsWrittenBackByteForByte() throws Exception {
        Map<String, Object> t = Torrents.singleFile("f", 1);
        t.put("comment", "c");
        byte[] bytes = Torrents.encode(t);
        assertArrayEquals(bytes, MetainfoWriter.write(MetainfoParser.parse(bytes)));
    }
}
