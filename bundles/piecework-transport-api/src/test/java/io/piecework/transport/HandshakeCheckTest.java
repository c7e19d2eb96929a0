package io.piecework.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.Handshake;
import io.piecework.wire.PeerId;
import io.piecework.wire.WireException;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The handshake rules both transports share. */
class HandshakeCheckTest {
    private static final InfoHash V1 = InfoHash.of(filled(1));
    private static final InfoHash V2 = InfoHash.of(filled(2));
    private static final InfoHash OTHER = InfoHash.of(filled(3));
    private final PeerId us = PeerId.generate(new Random(1));
    private final PeerId them = PeerId.generate(new Random(2));
    private final TorrentPeers v1 = torrent(false);
    private final TorrentPeers v2 = torrent(true);
    private final Map<InfoHash, TorrentPeers> torrents = Map.of(V1, v1, V2, v2);

    @Test
    void anIncomingHandshakeFindsItsTorrent() throws WireException {
        assertSame(v1, HandshakeCheck.torrentOf(new Handshake(new byte[8], V1, them), null, us, torrents::get));
    }

    @Test
    void aDialledPeerMustAnswerForTheTorrentAskedFor() throws WireException {
        assertSame(v2, HandshakeCheck.torrentOf(new Handshake(new byte[8], V2, them), V2, us, torrents::get));
        WireException e = assertThrows(WireException.class,
                () -> HandshakeCheck.torrentOf(new Handshake(new byte[8], V1, them), V2, us, torrents::get));
        assertTrue(e.getMessage().contains("we asked for"), e.getMessage());
    }

    @Test
    void aHybridsPeerMayUpgradeToTheSameTorrentsV2Hash() throws WireException {
        InfoHash hybridV2 = InfoHash.of(filled(4));
        Map<InfoHash, TorrentPeers> withHybrid = Map.of(V1, v1, hybridV2, v1, V2, v2);
        assertSame(v1, HandshakeCheck.torrentOf(new Handshake(new byte[8], hybridV2, them), V1, us, withHybrid::get));
        assertThrows(WireException.class,
                () -> HandshakeCheck.torrentOf(new Handshake(new byte[8], V2, them), V1, us, withHybrid::get));
    }

    @Test
    void ourselvesAndUnknownTorrentsAreRefused() {
        assertEquals("connected to ourselves", assertThrows(WireException.class,
                () -> HandshakeCheck.torrentOf(new Handshake(new byte[8], V1, us), null, us, torrents::get)).getMessage());
        assertTrue(assertThrows(WireException.class,
                () -> HandshakeCheck.torrentOf(new Handshake(new byte[8], OTHER, them), null, us, torrents::get))
                .getMessage().startsWith("no torrent with info-hash"));
    }

    @Test
    void ourHandshakeSetsTheV2BitOnlyForAV2Torrent() {
        Handshake forV2 = HandshakeCheck.ours(V2, us, true, torrents::get);
        assertTrue(forV2.supportsV2());
        assertTrue(forV2.supportsDht());
        assertEquals(us, forV2.peerId());
        assertFalse(HandshakeCheck.ours(V1, us, true, torrents::get).supportsV2());
        assertFalse(HandshakeCheck.ours(OTHER, us, false, torrents::get).supportsDht());
        assertTrue(Arrays.equals(Handshake.ourReserved(false, false), HandshakeCheck.ours(OTHER, us, false, torrents::get).reserved()));
    }

    private static byte[] filled(int b) {
        byte[] bytes = new byte[20];
        Arrays.fill(bytes, (byte) b);
        return bytes;
    }

    private static TorrentPeers torrent(boolean isV2) {
        return new TorrentPeers() {
            @Override
            public int pieceCount() {
                return 1;
            }

            @Override
            public boolean v2() {
                return isV2;
            }

            @Override
            public PeerHandler connected(PeerConnection connection) {
                return null;
            }
        };
    }
}
