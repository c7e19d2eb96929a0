package io.piecework.strategy.cached.internal;

import io.piecework.api.strategy.PeerView;
import io.piecework.api.strategy.Picker;
import io.piecework.api.strategy.TorrentView;

/**
 * A picker whose engine events only keep a {@link PieceIndex} up to date; subclasses decide how
 * request updates are served from it. Shared by the cached picker and the batched one (which
 * inlines this package), so both keep the index the same way.
 */
public abstract class IndexedPicker implements Picker {
    protected final TorrentView torrent;
    protected final PieceIndex index;

    protected IndexedPicker(TorrentView torrent) {
        this.torrent = torrent;
        this.index = new PieceIndex(torrent);
    }

    @Override
    public void peerHas(PeerView peer, int piece) {
        index.peerHas(peer, piece);
    }

    @Override
    public void peerPiecesReset(PeerView peer) {
        index.peerPiecesReset(peer);
    }

    @Override
    public void peerGone(PeerView peer) {
        index.peerGone(peer);
    }

    @Override
    public void pieceVerified(int piece) {
        index.pieceVerified(piece);
    }

    @Override
    public void pieceFailed(int piece) {
        index.pieceFailed(piece);
    }

    @Override
    public void prioritiesChanged() {
        index.prioritiesChanged();
    }
}
