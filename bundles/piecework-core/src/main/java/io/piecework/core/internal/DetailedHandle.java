package io.piecework.core.internal;

import io.piecework.api.engine.PeerInfo;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TrackerInfo;
import java.util.List;

/** The details-page part of a torrent's handle, built by {@link TorrentDetails} (kept out of {@link Torrent}). */
interface DetailedHandle extends TorrentHandle {
    /** The torrent itself. */
    Torrent torrent();

    @Override
    default List<PeerInfo> peers() {
        return TorrentDetails.peers(torrent());
    }

    @Override
    default List<TrackerInfo> trackers() {
        return TorrentDetails.trackers(torrent());
    }

    @Override
    default byte[] verifiedPieces() {
        return TorrentDetails.pieces(torrent());
    }
}
