package io.piecework.metainfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.bencode.Bencode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetainfoParserTest {

    @Test
    void parsesSingleFileTorrent() throws Exception {
        Map<String, Object> t = Torrents.singleFile("movie.mkv", 40000);
        t.put("comment", "a comment");
        t.put("created by", "tester 1.0");
        t.put("creation date", 1700000000L);
        TorrentMetainfo m = MetainfoParser.parse(Torrents.encode(t));
        assertEquals("movie.mkv", m.name());
        assertFalse(m.multiFile());
        assertEquals(List.of(new FileEntry(List.of("movie.mkv"), 40000, 0, false)), m.files());
        assertEquals(16384, m.pieceLength());
        assertEquals(3, m.pieceCount());
        assertEquals(40000 - 2 * 16384, m.pieceSize(2));
        assertEquals(List.of(List.of("http://tracker.example/announce")), m.trackerTiers());
        assertEquals("a comment", m.comment().orElseThrow());
        assertEquals("tester 1.0", m.createdBy().orElseThrow());
        assertEquals(1700000000L, m.creationDate().orElseThrow());
        assertFalse(m.isPrivate());
    }

    @Test
    void parsesMultiFileTorrentWithOffsetsInOrder() throws Exception {
        Map<String, Object> t = Torrents.multiFile("album", "cd1/01.flac", 20000, "cd1/02.flac", 0, "cover.jpg", 5000);
        TorrentMetainfo m = MetainfoParser.parse(Torrents.encode(t));
        assertTrue(m.multiFile());
        assertEquals("album", m.name());
        assertEquals(List.of(
                new FileEntry(List.of("cd1", "01.flac"), 20000, 0, false),
                new FileEntry(List.of("cd1", "02.flac"), 0, 20000, false),
                new FileEntry(List.of("cover.jpg"), 5000, 20000, false)), m.files());
        assertEquals(25000, m.totalSize());
        assertEquals(2, m.pieceCount());
    }

    @Test
    void announceListTiersWinAndAnnounceIsIgnoredAsBep12Says() throws Exception {
        Map<String, Object> t = Torrents.singleFile("f", 1);
        t.put("announce", "http://lone/announce");
        t.put("announce-list", List.of(
                List.of("udp://a:1", "udp://b:2"),
                List.of("udp://b:2", ""),          // duplicate and empty: dropped, tier vanishes
                List.of("http://c/announce")));
        TorrentMetainfo m = MetainfoParser.parse(Torrents.encode(t));
        assertEquals(List.of(List.of("udp://a:1", "udp://b:2"), List.of("http://c/announce")), m.trackerTiers());
    }

    @Test
    void announceIsUsedWhenAnnounceListHasNoTracker() throws Exception {
        Map<String, Object> t = Torrents.singleFile("f", 1);
        t.put("announce", "http://lone/announce");
        t.put("announce-list", List.of(List.of("")));
        TorrentMetainfo m = MetainfoParser.parse(Torrents.encode(t));
        assertEquals(List.of(List.of("http://lone/announce")), m.trackerTiers());
    }

    @Test
    void announceAlreadyInAnnounceListIsNotRepeated() throws Exception {
        Map<String, Object> t = Torrents.singleFile("f", 1);
        t.put("announce", "udp://a:1");
        t.put("announce-list", List.of(List.of("udp://a:1"), List.of("udp://b:2")));
        TorrentMetainfo m = MetainfoParser.parse(Torrents.encode(t));
        assertEquals(List.of(List.of("udp://a:1"), List.of("udp://b:2")), m.trackerTiers());
    }

    @Test
    void torrentWithoutTrackersHasNoTiers() throws Exception {
        Map<String, Object> t = Torrents.singleFile("f", 1);
        t.remove("announce");
        assertEquals(List.of(), MetainfoParser.parse(Torrents.encode(t)).trackerTiers());
    }

    @Test
    void urlListAsOneStringIsOneWebSeed() throws Exception {
        Map<String, Object> t = Torrents.singleFile("f", 1);
        t.put("url-list", "http://seed/f");
        assertEquals(List.of("http://seed/f"), MetainfoParser.parse(Torrents.encode(t)).webSeeds());
    }

    @Test
    void urlListAsListKeepsOrderAndDropsEmptyAndDuplicates() throws Exception {
        Map<String, Object> t = Torrents.singleFile("f", 1);
        t.put("url-list", List.of("http://a/", "", "http://b/", "http://a/"));
        assertEquals(List.of("http://a/", "http://b/"), MetainfoParser.parse(Torrents.encode(t)).webSeeds());
    }

    @Test
    void privateFlagIsReadFromInfo() throws Exception {
        Map<String, Object> t = Torrents.singleFile("f", 1);
        Torrents.info(t).put("private", 1L);
        assertTrue(MetainfoParser.parse(Torrents.encode(t)).isPrivate());
        Torrents.info(t).put("private", 0L);
        assertFalse(MetainfoParser.parse(Torrents.encode(t)).isPrivate());
    }

    @Test
    void padFilesAreRecognisedByAttrAndByLegacyNames() throws Exception {
        Map<String, Object> t = Torrents.multiFile("x", "a", 100, "b", 200);
        List<Object> files = Torrents.files(t);
        Map<String, Object> attrPad = Torrents.file(List.of("weird-pad-name"), 16284);
        attrPad.put("attr", "p");
        files.add(1, attrPad);
        files.add(Torrents.file(List.of(".pad", "300"), 300));               // libtorrent layout, no attr
        files.add(Torrents.file(List.of("_____padding_file_0_____"), 10));  // BitComet layout
        files.add(Torrents.file(List.of(".pad", "300"), 301));               // name does not match length: real
        Torrents.info(t).put("pieces", new byte[Torrents.pieceCount(100 + 16284 + 200 + 300 + 10 + 301) * 20]);
        List<FileEntry> parsed = MetainfoParser.parse(Torrents.encode(t)).files();
        assertEquals(List.of(false, true, false, true, true, false),
                parsed.stream().map(FileEntry::padding).toList());
    }

    @Test
    void padFilesMayShareAPathButRealFilesMayNot() throws Exception {
        Map<String, Object> t = Torrents.multiFile("x", "a", 100);
        for (int i = 0; i < 2; i++) {
            Map<String, Object> pad = Torrents.file(List.of(".pad", "5"), 5);
            pad.put("attr", "p");
            Torrents.files(t).add(pad);
        }
        assertEquals(3, MetainfoParser.parse(Torrents.encode(t)).files().size());
    }

    @Test
    void parsesLibtorrentTorrentWithPadFilesAndSameInfoHash() throws Exception {
        // Made by libtorrent 2.0.8 (create_torrent v1_only|canonical_files, 16 KiB pieces);
        // libtorrent reported info-hash 62c8225b..., 7 files, 9 pieces, 147456 bytes.
        TorrentMetainfo m = MetainfoParser.parse(Torrents.resource("libtorrent-v1-pad.torrent"));
        assertEquals("62c8225b016f73bb30454f4302926cbdf73d8cec", m.infoHash().hex());
        assertEquals(7, m.files().size());
        assertEquals(9, m.pieceCount());
        assertEquals(147456, m.totalSize());
        assertEquals(List.of(false, true, false, true, false, false, true),
                m.files().stream().map(FileEntry::padding).toList());
        assertEquals(List.of(".pad", "9152"), m.files().get(1).path());
    }

    @Test
    void hybridTorrentIsReadThroughItsV1Fields() throws Exception {
        // libtorrent 2.0.8 default (hybrid) torrent of the same folder; v1 info-hash 654eed4d...
        TorrentMetainfo m = MetainfoParser.parse(Torrents.resource("libtorrent-hybrid.torrent"));
        assertEquals("654eed4df9570c787d862a74360a3b2d48b180e3", m.infoHash().hex());
        assertEquals(7, m.files().size());
        assertEquals(9, m.pieceCount());
    }

    @Test
    void infoHashIsSha1OfOriginalInfoBytesEvenWithUnknownKeys() throws Exception {
        Map<String, Object> t = Torrents.singleFile("f", 1);
        Torrents.info(t).put("x-unknown", Map.of("nested", List.of(1L, "two")));
        Torrents.info(t).put("name.utf-8", "f");
        Torrents.info(t).put("source", "somewhere");
        byte[] bytes = Torrents.encode(t);
        byte[] infoBytes = Bencode.encodeObject(Torrents.info(t));
        TorrentMetainfo m = MetainfoParser.parse(bytes);
        byte[] expected = MessageDigest.getInstance("SHA-1").digest(infoBytes);
        assertArrayEquals(expected, m.infoHash().bytes());
        assertArrayEquals(infoBytes, m.infoBytes());
        // A re-encoding of only the fields we model would have another hash.
        Map<String, Object> modelled = Torrents.singleFile("f", 1);
        assertNotEquals(m.infoHash().hex(),
                MetainfoParser.parse(Torrents.encode(modelled)).infoHash().hex());
    }

    @Test
    void utf8VariantsOfNameAndPathArePreferred() throws Exception {
        Map<String, Object> t = Torrents.multiFile("legacy-name", "legacy", 10);
        Torrents.info(t).put("name.utf-8", "Zoë");
        @SuppressWarnings("unchecked")
        Map<String, Object> f = (Map<String, Object>) Torrents.files(t).get(0);
        f.put("path.utf-8", List.of("dossier", "été.txt"));
        TorrentMetainfo m = MetainfoParser.parse(Torrents.encode(t));
        assertEquals("Zoë", m.name());
        assertEquals(List.of("dossier", "été.txt"), m.files().get(0).path());
    }

    @Test
    void nameIsSanitisedLikeAPathComponent() throws Exception {
        Map<String, Object> t = Torrents.singleFile("con.txt", 1);
        assertEquals("_con.txt", MetainfoParser.parse(Torrents.encode(t)).name());
    }

    @Test
    void pieceLengthNeedNotBeAPowerOfTwoWhenReading() throws Exception {
        Map<String, Object> t = Torrents.singleFile("f", 1000);
        Torrents.info(t).put("piece length", 300L);
        Torrents.info(t).put("pieces", new byte[4 * 20]);
        assertEquals(4, MetainfoParser.parse(Torrents.encode(t)).pieceCount());
    }

    @Test
    void readsATorrentFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("x.torrent");
        java.nio.file.Files.write(file, Torrents.encode(Torrents.singleFile("f", 1)));
        assertEquals("f", MetainfoParser.read(file).name());
    }

    @Test
    void commentUtf8VariantIsPreferred() throws Exception {
        Map<String, Object> t = Torrents.singleFile("f", 1);
        t.put("comment", new String("caf\u00e9".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        t.put("comment.utf-8", "café");
        assertEquals("café", MetainfoParser.parse(Torrents.encode(t)).comment().orElseThrow());
    }

    @Test
    void invalidUtf8InLegacyNamesIsEscapedPerByteSoNamesStayDistinct() throws Exception {
        Map<String, Object> t = Torrents.multiFile("d", "x", 1, "y", 1);
        // GBK "中文" and "文件": both would be U+FFFD soup if decoded with replacement.
        Torrents.files(t).set(0, Map.of("length", 1L, "path", List.of(new byte[] {(byte) 0xD6, (byte) 0xD0, 'a'})));
        Torrents.files(t).set(1, Map.of("length", 1L, "path", List.of(new byte[] {(byte) 0xCE, (byte) 0xC4, 'a'})));
        List<FileEntry> files = MetainfoParser.parse(Torrents.encode(t)).files();
        assertEquals(List.of("%D6%D0a"), files.get(0).path());
        assertEquals(List.of("%CE%C4a"), files.get(1).path());
    }
}
