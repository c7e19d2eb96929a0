package io.piecework.loadtest.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufUtil;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.MetainfoParser;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

class PayloadTest {
    @Test
    void torrentsShareThePayloadButNotTheInfoHashAndTheirPiecesVerify() throws Exception {
        // 3.5 pieces: the last piece is short.
        Payload p = new Payload(3 * 32768 + 16384, 32768, 1);
        try {
            TorrentMetainfo a = MetainfoParser.parse(p.torrent("loadtest-00000"));
            TorrentMetainfo b = MetainfoParser.parse(p.torrent("loadtest-00001"));
            assertNotEquals(a.infoHash(), b.infoHash());
            assertEquals(4, a.pieceCount());
            assertEquals(p.length(), a.totalSize());
            assertTrue(a.isPrivate(), "private: the DHT never hears of the load test's torrents");
            assertEquals(16384, p.pieceSize(3));
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            for (int piece = 0; piece < 4; piece++) {
                byte[] bytes = ByteBufUtil.getBytes(p.block(piece, 0, p.pieceSize(piece)));
                assertArrayEquals(a.pieceHash(piece), sha1.digest(bytes), "piece " + piece);
            }
        } finally {
            p.release();
        }
    }
}
