package io.piecework.core.internal;

import io.piecework.api.engine.TorrentState;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A torrent's data hashed again on request (Transmission's torrent-verify). The torrent stops
 * (its storage saves what it knows and closes), a storage opened apart hashes every piece and
 * saves the result as the resume record, and a torrent that ran starts again: its start reads
 * that record, so pieces that no longer match are downloaded again, through the same path as a
 * restart. Kept out of {@link Torrent}'s lifecycle, which it only calls.
 */
final class Recheck {
    private static final Logger LOG = LoggerFactory.getLogger(Recheck.class);

    private Recheck() {
    }

    static CompletableFuture<Void> run(Torrent torrent) {
        TorrentState before = torrent.state;
        boolean resume = before != TorrentState.STOPPED && before != TorrentState.ERROR;
        torrent.stop();
        LOG.info("{}: re-checking its data on disk", torrent.metainfo.name());
        return openSettled(torrent)
                .thenCompose(v -> torrent.engine.openStorage(torrent.metainfo, torrent.downloadDir))
                .thenCompose(storage -> storage.recheck().whenComplete((pieces, failure) -> storage.close()))
                .thenAccept(pieces -> {
                    LOG.info("{}: re-checked, {} of {} pieces match", torrent.metainfo.name(),
                            pieces.getCardinality(), torrent.metainfo.pieceCount());
                    if (resume) {
                        torrent.start();
                    }
                });
    }

    /** Completes once a storage that was opening has been opened (and, the torrent stopped, closed again). */
    private static CompletableFuture<?> openSettled(Torrent torrent) {
        CompletableFuture<?> open;
        torrent.lock.lock();
        try {
            open = torrent.opening;
        } finally {
            torrent.lock.unlock();
        }
        return open == null ? CompletableFuture.completedFuture(null) : open.handle((s, failure) -> null);
    }
}
