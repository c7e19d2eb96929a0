package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.PeerInfo;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.TorrentMetainfo;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The details page's views of a real engine: a connected peer as it is, our pieces as a bitfield. */
class TorrentDetailsTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final LoopbackEngines engines = new LoopbackEngines(() -> dir);

    @Test
    void aConnectedPeerIsListedWithItsClientNameFlagsAndProgress() throws Exception {
        TorrentMetainfo meta = IdleCrowd.torrent(dir);
        Engine seeder = engines.engine("seeder");
        TorrentHandle seeding = seeder.add(meta, AddOptions.in(dir.resolve("seed")));
        seeding.completion().get(30, TimeUnit.SECONDS);
        String hostile = "<script>x</script>&amp;\u202Egnp.exe";
        try (FakePeer peer = FakePeer.dial(seeder.listenPort(), meta.infoHash(), meta.pieceCount())) {
            peer.extendedHandshake(hostile);
            peer.interested();
            assertTrue(LoopbackEngines.within(10_000, () -> seeding.peers().size() == 1
                    && seeding.peers().get(0).peerInterested() && !seeding.peers().get(0).client().isEmpty()),
                    "the fake peer is listed once its handshake and interest are in");
            PeerInfo p = seeding.peers().get(0);
            assertEquals(hostile, p.client(), "the name as sent: the page escapes it, not the engine");
            assertEquals("127.0.0.1", p.address().getAddress().getHostAddress());
            assertTrue(p.incoming(), "it dialled us");
            assertFalse(p.encrypted());
            assertFalse(p.seed());
            assertEquals(0.0, p.progress());
            assertEquals(meta.pieceCount(), p.pieceCount());
        }
    }

    @Test
    void aLongClientNameIsCut() throws Exception {
        TorrentMetainfo meta = IdleCrowd.torrent(dir);
        Engine seeder = engines.engine("seeder");
        TorrentHandle seeding = seeder.add(meta, AddOptions.in(dir.resolve("seed")));
        seeding.completion().get(30, TimeUnit.SECONDS);
        try (FakePeer peer = FakePeer.dial(seeder.listenPort(), meta.infoHash(), meta.pieceCount())) {
            peer.extendedHandshake("x".repeat(5_000));
            assertTrue(LoopbackEngines.within(10_000, () -> seeding.peers().size() == 1
                    && seeding.peers().get(0).client().startsWith("xxx")));
            assertEquals(TorrentDetails.MAX_CLIENT_CHARS + 3, seeding.peers().get(0).client().length());
        }
    }

    @Test
    void ourPiecesAreABitfieldWithSpareBitsClear() throws Exception {
        TorrentMetainfo meta = IdleCrowd.torrent(dir);
        Engine seeder = engines.engine("seeder");
        TorrentHandle seeding = seeder.add(meta, AddOptions.in(dir.resolve("seed")));
        seeding.completion().get(30, TimeUnit.SECONDS);
        byte[] bits = seeding.verifiedPieces();
        int n = meta.pieceCount();
        assertEquals((n + 7) / 8, bits.length);
        int set = 0;
        for (byte b : bits) {
            set += Integer.bitCount(b & 0xff);
        }
        assertEquals(n, set, "every piece and no spare bit");
        assertTrue((bits[0] & 0x80) != 0, "piece 0 is the high bit");
    }
}
