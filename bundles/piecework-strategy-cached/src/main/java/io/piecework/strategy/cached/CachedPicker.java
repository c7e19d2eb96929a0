package io.piecework.strategy.cached;

import io.piecework.api.strategy.PeerView;
import io.piecework.api.strategy.TorrentView;
import io.piecework.strategy.cached.internal.IndexedPicker;
import io.piecework.strategy.cached.internal.PieceIndex;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the torrent's piece order in a {@link PieceIndex} that the engine's events update, so a
 * request update walks the order from the top instead of recounting and sorting. The events
 * arrive with the torrent's lock held; the update takes it, once per peer.
 */
final class CachedPicker extends IndexedPicker {
    private static final Logger LOG = LoggerFactory.getLogger(CachedPicker.class);

    CachedPicker(TorrentView torrent) {
        super(torrent);
    }

    @Override
    public void requestUpdate(PeerView peer, int reasons) {
        Lock lock = torrent.lock();
        lock.lock();
        try {
            index.prepare();
            int blocks = index.fill(peer);
            if (LOG.isDebugEnabled()) {
                LOG.debug("peer {}: {} blocks requested (reasons {})", peer.id(), blocks, reasons);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The current order; call with the torrent's lock held (tests). */
    int[] order() {
        return index.order();
    }

    /** Whether the index dropped its caches because nothing is wanted (tests). */
    boolean dormant() {
        return index.dormant();
    }

    @Override
    public void close() {
        // Only caches, dropped with this object; the next picker rebuilds from the views.
    }
}
