package io.piecework.core.internal;

import io.piecework.api.engine.TorrentState;
import io.piecework.api.storage.TorrentStorage;
import java.nio.ByteBuffer;

/**
 * Serving blocks to peers: checks on the event loop without the torrent's lock (the verified
 * set is readable lock-free), the read on the disk pool into a reused buffer, then one copy
 * into the connection.
 */
final class Uploads {
    private final Torrent torrent;

    Uploads(Torrent torrent) {
        this.torrent = torrent;
    }

    void requested(PeerSession p, int piece, int begin, int length) {
        TorrentState state = torrent.state();
        boolean serve = (state == TorrentState.DOWNLOADING || state == TorrentState.SEEDING)
                && !p.amChoking
                && piece >= 0 && piece < torrent.pieceCount()
                && torrent.hasVerified(piece)
                && (long) begin + length <= torrent.tracker.pieceSize(piece)
                && p.uploadsQueued.get() < Torrent.MAX_QUEUED_UPLOADS;
        if (!serve) {
            if (p.connection.fastExtension()) {
                p.connection.rejectRequest(piece, begin, length);
            }
            return;
        }
        p.uploadsQueued.incrementAndGet();
        torrent.engine.disk().execute(() -> serve(p, piece, begin, length));
    }

    private void serve(PeerSession p, int piece, int begin, int length) {
        ByteBuffer buffer = torrent.engine.buffers().acquire(length);
        try {
            TorrentStorage storage = torrent.storage();
            if (storage == null || p.closed) {
                return;
            }
            storage.read(piece, begin, buffer);
            buffer.flip();
            p.connection.piece(piece, begin, buffer);
            p.upload.add(length);
            torrent.uploaded.add(length);
        } catch (Exception e) {
            torrent.fail("cannot read piece " + piece + ": " + Engine.message(e));
        } finally {
            torrent.engine.buffers().release(buffer);
            p.uploadsQueued.decrementAndGet();
        }
    }
}
