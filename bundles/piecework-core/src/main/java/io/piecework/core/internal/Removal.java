package io.piecework.core.internal;

import io.piecework.api.storage.TorrentStorage;
import java.util.concurrent.CompletableFuture;

/**
 * A torrent removed, with or without its data. The torrent stops and the engine forgets it;
 * then its storage removes the files (and the resume record). A storage still opening (the
 * torrent was checking) is closed by the torrent's open once ready, since the torrent is stopped
 * by then; only after that can it be opened again to be removed, as {@link Recheck} waits too.
 */
final class Removal {
    private Removal() {
    }

    static CompletableFuture<Void> run(Torrent torrent, boolean deleteData) {
        TorrentStorage kept;
        CompletableFuture<?> open;
        torrent.lock.lock();
        try {
            kept = torrent.storage;
            torrent.storage = null;
            open = torrent.opening;
        } finally {
            torrent.lock.unlock();
        }
        torrent.stop();
        torrent.engine.forget(torrent);
        if (kept != null) {
            return kept.remove(deleteData);
        }
        CompletableFuture<?> settled = open == null ? CompletableFuture.completedFuture(null)
                : open.handle((s, failure) -> null);
        return settled.thenCompose(v -> torrent.engine.openStorage(torrent.metainfo, torrent.downloadDir))
                .thenCompose(s -> s.remove(deleteData));
    }
}
