package io.piecework.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.bencode.BDictionary;
import io.piecework.bencode.BString;
import io.piecework.bencode.BValue;
import io.piecework.bencode.Bencode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Hostile and inconsistent v2 and hybrid torrents get one clear line naming the field. */
class V2MetainfoRejectsTest {

    @Test
    void traversalAndSeparatorsInTreeKeysAreRefusedLikeV1Paths() {
        InvalidTorrentException e = rejects(V2Torrents.v2("d", "a/../b", 1L));
        assertEquals("info.file tree[0].path[1]", e.where());
        assertTrue(e.getMessage().contains("path traversal"), e.getMessage());
        Map<String, Object> t = V2Torrents.v2("d", "x", 1L);
        Torrents.info(t).put("file tree", Map.of("/etc", Map.of("passwd", Map.of("", V2Torrents.leaf("p", 1)))));
        assertTrue(rejects(t).getMessage().contains("path separator"), rejects(t).getMessage());
    }

    @Test
    void emptyNamesAndEmptyFoldersAreRefused() {
        Map<String, Object> t = V2Torrents.v2("d", "x", 1L);
        Torrents.info(t).put("file tree", Map.of("", V2Torrents.leaf("p", 1)));
        assertTrue(rejects(t).getMessage().contains("a file with an empty path"), rejects(t).getMessage());
        Torrents.info(t).put("file tree", Map.of("dir", Map.of()));
        assertTrue(rejects(t).getMessage().contains("holds no files"), rejects(t).getMessage());
        Torrents.info(t).put("file tree", Map.of());
        assertTrue(rejects(t).getMessage().contains("the file tree is empty"), rejects(t).getMessage());
    }

    @Test
    void nodeThatIsBothFileAndFolderIsRefused() {
        Map<String, Object> t = V2Torrents.v2("d", "x", 1L);
        Map<String, Object> node = new TreeMap<>();
        node.put("", V2Torrents.leaf("p", 1));
        node.put("child", Map.of("", V2Torrents.leaf("q", 1)));
        Torrents.info(t).put("file tree", Map.of("a", node));
        assertTrue(rejects(t).getMessage().contains("is both a file and a folder"), rejects(t).getMessage());
    }

    @Test
    void moreV2PiecesThanAV1TorrentCouldHashAreRefused() throws Exception {
        // 2^40 bytes in 16 KiB pieces: 2^26 pieces, each a bit of every peer's bitfield.
        InvalidTorrentException e = rejects(V2Torrents.v2("d", "huge", 1L << 40));
        assertEquals("info", e.where());
        assertTrue(e.getMessage().contains("more than " + V2Metainfo.MAX_PIECES + " pieces"), e.getMessage());
        // One piece fewer than the bound, with its tail pad, is fine.
        long most = V2Metainfo.MAX_PIECES * Torrents.PIECE - 1;
        assertEquals(V2Metainfo.MAX_PIECES, MetainfoParser.parse(Torrents.encode(V2Torrents.v2("d", "big", most)))
                .pieceCount());
    }

    @Test
    void namesThatCollideAfterSanitisingAreRefused() {
        InvalidTorrentException e = rejects(V2Torrents.v2("d", "a?", 1L, "a_", 1L));
        assertTrue(e.getMessage().contains("duplicate file path"), e.getMessage());
    }

    @Test
    void treesDeeperThanThePathLimitAreRefusedWithoutStackOverflow() throws Exception {
        String ok = String.join("/", java.util.Collections.nCopies(MetainfoParser.MAX_PATH_DEPTH, "f"));
        MetainfoParser.parse(Torrents.encode(V2Torrents.v2("d", ok, 1L)));
        InvalidTorrentException e = rejects(V2Torrents.v2("d", ok + "/f", 1L));
        assertTrue(e.getMessage().contains("deeper than"), e.getMessage());
    }

    @Test
    void aTreeOfTooManyFilesIsRefusedByTheValueBound() {
        // ~350,000 one-byte files: each costs 4 values; the decoder stops at MAX_VALUES.
        Map<String, Object> tree = new TreeMap<>();
        Map<String, Object> leaf = Map.of("", Map.of("length", 0L));
        for (int i = 0; i < 300_000; i++) {
            tree.put(Integer.toString(i, 36), leaf);
        }
        Map<String, Object> t = V2Torrents.v2("d", "x", 1L);
        Torrents.info(t).put("file tree", tree);
        InvalidTorrentException e = rejects(t);
        assertTrue(e.getMessage().contains("more than " + MetainfoParser.MAX_VALUES + " values"), e.getMessage());
    }

    @Test
    void missingOrShortPiecesRootIsRefused() {
        Map<String, Object> t = V2Torrents.v2("d", "x", 1L);
        Torrents.info(t).put("file tree", Map.of("x", Map.of("", Map.of("length", 5L))));
        assertEquals("info.file tree[0]", rejects(t).where());
        assertTrue(rejects(t).getMessage().contains("missing field 'pieces root'"));
        Torrents.info(t).put("file tree", Map.of("x", Map.of("", Map.of("length", 5L, "pieces root", new byte[31]))));
        assertEquals("info.file tree[0].pieces root", rejects(t).where());
    }

    @Test
    void v2PieceLengthMustBeAPowerOfTwoOfAtLeast16KiB() {
        Map<String, Object> t = V2Torrents.v2("d", "x", 1L);
        Torrents.info(t).put("piece length", 16383L);
        assertEquals("info.piece length", rejects(t).where());
    }

    @Test
    void tamperedPieceLayerIsRefusedAgainstThePiecesRoot() throws Exception {
        BDictionary top = (BDictionary) Bencode.decode(Torrents.resource("libtorrent-v2.torrent"));
        BDictionary layers = top.dictionary("piece layers").orElseThrow();
        Map<String, BValue> bad = new TreeMap<>(layers.entries());
        String key = bad.keySet().iterator().next();
        byte[] layer = ((BString) bad.get(key)).bytes();
        layer[0] ^= 1;
        bad.put(key, BString.of(layer));
        InvalidTorrentException e = rejects(with(top, "piece layers", BDictionary.of(bad)));
        assertTrue(e.getMessage().contains("does not hash to the pieces root"), e.getMessage());

        bad.put(key, BString.of(Arrays.copyOf(layer, layer.length - 32)));
        e = rejects(with(top, "piece layers", BDictionary.of(bad)));
        assertTrue(e.getMessage().contains("pieces: 32 bytes each"), e.getMessage());

        bad.put(key, ((BString) layers.get(key)));
        bad.put(new String(new byte[32], StandardCharsets.ISO_8859_1), BString.of(new byte[32]));
        e = rejects(with(top, "piece layers", BDictionary.of(bad)));
        assertTrue(e.getMessage().contains("a layer for no file"), e.getMessage());
    }

    @Test
    void hybridWithoutPadFilesIsRefused() {
        InvalidTorrentException e = rejects(V2Torrents.hybrid("d", false, "a", 100L, "b", 20000L));
        assertEquals("info.files[1]", e.where());
        assertTrue(e.getMessage().contains("hybrid torrent's v1 and v2 parts disagree"), e.getMessage());
        assertTrue(e.getMessage().contains("needs pad files"), e.getMessage());
    }

    @Test
    void hybridWhoseFilesDifferIsRefused() {
        Map<String, Object> t = V2Torrents.hybrid("d", true, "a", 100L, "b", 20000L);
        @SuppressWarnings("unchecked")
        Map<String, Object> b = (Map<String, Object>) Torrents.files(t).get(2);
        b.put("path", List.of("c"));
        assertTrue(rejects(t).getMessage().contains("v1 file 2 is 'c' of 20000 bytes but v2 file 2 is 'b'"),
                rejects(t).getMessage());
        Torrents.files(t).remove(2);
        Torrents.info(t).put("pieces", new byte[20]);
        assertTrue(rejects(t).getMessage().contains("v1 lists 1 files but the v2 file tree 2"), rejects(t).getMessage());
    }

    @Test
    void hybridWithFilesInAnotherOrderIsRefused() {
        Map<String, Object> t = V2Torrents.hybrid("d", true, "a", 100L, "b", 100L);
        Map<String, Object> swapped = V2Torrents.hybrid("d", true, "b", 100L, "a", 100L);
        Torrents.info(t).put("files", Torrents.files(swapped));
        assertTrue(rejects(t).getMessage().contains("disagree"), rejects(t).getMessage());
    }

    @Test
    void fileTreeWithoutMetaVersion2IsRefused() {
        Map<String, Object> t = Torrents.singleFile("f", 1);
        Torrents.info(t).put("file tree", V2Torrents.tree("f", 1L));
        assertTrue(rejects(t).getMessage().contains("no 'meta version' 2"), rejects(t).getMessage());
    }

    private static Map<String, Object> with(BDictionary top, String key, BValue value) {
        Map<String, Object> out = new LinkedHashMap<>(top.entries());
        out.put(key, value);
        return out;
    }

    private static InvalidTorrentException rejects(Map<String, Object> torrent) {
        return assertThrows(InvalidTorrentException.class, () -> MetainfoParser.parse(Torrents.encode(torrent)));
    }
}
