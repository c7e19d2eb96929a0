package io.piecework.metainfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.TorrentVersion;
import io.piecework.api.metainfo.V2Files;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BEP 52 torrents made by libtorrent 2.0.8 (folder d: a.bin 40000, c.txt 5, empty 0, sub/b.bin 70000). */
class V2MetainfoTest {
    private static final String ROOT_A = "34a8e7cebf940712d1e32f620fff05dac4951780ae33875603e1a286d5d7d555";
    private static final String ROOT_C = "98c64070e3a2ef8610b785ec1c993db1aa15ec8d9aede9f1f6bf989a3616e54c";
    private static final String ROOT_B = "61b601b06a2bbc8a9880733152cdf67e828d0b699bc6bbf339ba155ea0bb5bd6";

    @Test
    void v2OnlyTorrentIsReadWithItsSha256InfoHashRootsAndVerifiedLayers() throws Exception {
        byte[] bytes = Torrents.resource("libtorrent-v2.torrent");
        TorrentMetainfo m = MetainfoParser.parse(bytes);
        assertEquals(TorrentVersion.V2, m.version());
        // libtorrent: info_hashes().v2
        assertEquals("d4941e07d4ec54b074ad4e24138c086880ec2031d98b441e49f43df18b50c98c", m.infoHashV2().orElseThrow().hex());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(m.infoBytes()), m.infoHashV2().get().bytes());
        assertEquals("d4941e07d4ec54b074ad4e24138c086880ec2031", m.infoHash().hex(), "truncated for the wire");
        assertTrue(m.infoHashV1().isEmpty());
        assertEquals(9, m.pieceCount(), "the pieces of libtorrent's padded layout, as the hybrid's");
        assertThrows(IllegalStateException.class, () -> m.pieceHash(0), "no SHA-1 piece hashes");
        assertTrue(m.multiFile());
        assertEquals(List.of("a.bin", ".pad/9152", "c.txt", ".pad/16379", "empty", "sub/b.bin", ".pad/11920"),
                m.files().stream().map(FileEntry::displayPath).toList());
        assertEquals(List.of(40000L, 9152L, 5L, 16379L, 0L, 70000L, 11920L), m.files().stream().map(FileEntry::length).toList());
        assertEquals(List.of(false, true, false, true, false, false, true),
                m.files().stream().map(FileEntry::padding).toList());
        // Each file with data starts a piece, the last piece is whole: libtorrent's layout.
        assertEquals(9 * 16384L, m.totalSize());
        assertEquals(List.of(0L, 40000L, 49152L, 49157L, 65536L, 65536L, 135536L),
                m.files().stream().map(FileEntry::offset).toList());
        V2Files v2 = m.v2Files().orElseThrow();
        assertEquals(ROOT_A, hex(v2.root(0)));
        assertNull(v2.root(1), "pad");
        assertEquals(ROOT_C, hex(v2.root(2)));
        assertNull(v2.root(3), "pad");
        assertNull(v2.root(4), "empty");
        assertEquals(ROOT_B, hex(v2.root(5)));
        assertEquals(3 * 32, v2.layer(0).remaining());
        assertNull(v2.layer(2), "a file of one piece has no layer");
        assertEquals(5 * 32, v2.layer(5).remaining());
    }

    @Test
    void hybridTorrentHasBothInfoHashesAndKeepsItsV1FileList() throws Exception {
        TorrentMetainfo m = MetainfoParser.parse(Torrents.resource("libtorrent-hybrid.torrent"));
        assertEquals(TorrentVersion.HYBRID, m.version());
        assertEquals("654eed4df9570c787d862a74360a3b2d48b180e3", m.infoHash().hex());
        assertEquals("654eed4df9570c787d862a74360a3b2d48b180e3", m.infoHashV1().orElseThrow().hex());
        assertEquals("7709181fec7ec94dc68d427f0268786be9dd9f60a0e109d07254c4ca21b74a28", m.infoHashV2().orElseThrow().hex());
        assertEquals(7, m.files().size());
        assertEquals(9, m.pieceCount());
        V2Files v2 = m.v2Files().orElseThrow();
        assertEquals(ROOT_A, hex(v2.root(0)));
        assertNull(v2.root(1), "pad file");
        assertEquals(ROOT_C, hex(v2.root(2)));
        assertEquals(ROOT_B, hex(v2.root(5)));
        assertEquals(5 * 32, v2.layer(5).remaining());
    }

    @Test
    void writingAV2TorrentKeepsItsPieceLayers() throws Exception {
        TorrentMetainfo m = MetainfoParser.parse(Torrents.resource("libtorrent-v2.torrent"));
        TorrentMetainfo again = MetainfoParser.parse(MetainfoWriter.write(m));
        assertEquals(m.infoHashV2(), again.infoHashV2());
        V2Files v2 = again.v2Files().orElseThrow();
        assertEquals(m.v2Files().get().layer(0), v2.layer(0));
        assertEquals(m.v2Files().get().layer(5), v2.layer(5));
    }

    @Test
    void singleFileV2TorrentIsStoredUnderItsName() throws Exception {
        TorrentMetainfo m = MetainfoParser.parse(Torrents.encode(V2Torrents.v2("f.bin", "f.bin", 100L)));
        assertFalse(m.multiFile());
        assertEquals(List.of("f.bin"), m.files().get(0).path());
        // libtorrent 2.0.8 pads a lone file too: one whole piece of 16 KiB.
        assertEquals(List.of(false, true), m.files().stream().map(FileEntry::padding).toList());
        assertEquals(16384, m.totalSize());
        assertEquals(1, m.pieceCount());
    }

    @Test
    void handMadeHybridWithPadFilesIsAccepted() throws Exception {
        TorrentMetainfo m = MetainfoParser.parse(Torrents.encode(
                V2Torrents.hybrid("d", true, "a", 100L, "b/c", 20000L, "z", 1L)));
        assertEquals(TorrentVersion.HYBRID, m.version());
        assertEquals(List.of(false, true, false, true, false), m.files().stream().map(FileEntry::padding).toList());
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
