package io.piecework.transport;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.Handshake;
import io.piecework.wire.PeerId;
import io.piecework.wire.WireException;
import java.util.function.Function;

/**
 * The BEP 3 handshake as every transport checks and answers it, without I/O: which torrent a
 * peer's handshake is for (or why the connection must close), and the handshake we send.
 */
public final class HandshakeCheck {
    private HandshakeCheck() {
    }

    /**
     * The registered torrent a peer's handshake names.
     *
     * @param expected the info-hash we dialled for; null for an incoming connection
     * @param torrents the transport's registered torrents by info-hash (null when unknown)
     * @throws WireException when the peer answered for another torrent, is ourselves, or names
     *                       a torrent not registered here. BEP 52's upgrade is not another torrent:
     *                       dialled with a hybrid's v1 hash and the v2 bit, a peer may answer with
     *                       the same torrent's truncated v2 hash (libtorrent does, and takes the
     *                       connection as a v2 one).
     */
    public static TorrentPeers torrentOf(Handshake h, InfoHash expected, PeerId local,
                                         Function<InfoHash, TorrentPeers> torrents) throws WireException {
        InfoHash infoHash = h.infoHash();
        if (expected != null && !expected.equals(infoHash) && !sameTorrent(infoHash, expected, torrents)) {
            throw new WireException("peer answered for info-hash " + infoHash + ", we asked for " + expected);
        }
        if (h.peerId().equals(local)) {
            throw new WireException("connected to ourselves");
        }
        TorrentPeers torrent = torrents.apply(infoHash);
        if (torrent == null) {
            throw new WireException("no torrent with info-hash " + infoHash);
        }
        return torrent;
    }

    private static boolean sameTorrent(InfoHash answered, InfoHash expected, Function<InfoHash, TorrentPeers> torrents) {
        TorrentPeers torrent = torrents.apply(answered);
        return torrent != null && torrent == torrents.apply(expected);
    }

    /** Our handshake for {@code infoHash}: the DHT bit when {@code dht}, the v2 bit (BEP 52) when its torrent is v2. */
    public static Handshake ours(InfoHash infoHash, PeerId local, boolean dht, Function<InfoHash, TorrentPeers> torrents) {
        TorrentPeers torrent = torrents.apply(infoHash);
        return new Handshake(Handshake.ourReserved(dht, torrent != null && torrent.v2()), infoHash, local);
    }
}
