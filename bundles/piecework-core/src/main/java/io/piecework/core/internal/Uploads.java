package io.piecework.core.internal;

import io.piecework.api.engine.TorrentState;
import io.piecework.api.storage.TorrentStorage;
import java.nio.ByteBuffer;

/**
 * Serving blocks to peers: checks on the event loop without the torrent's lock (the verified
 * set is readable lock-free), then the request joins its peer's {@link Queue}. One task per peer
 * on the disk pool drains the queue, reading each block into a reused buffer and copying it into
 * the connection: a busy peer costs a hand-off per batch, not per block, and nothing is
 * allocated per request.
 */
final class Uploads {
    /** Requests served by one disk task before it yields the thread to other peers' tasks. */
    static final int BATCH = 64;

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
                && (long) begin + length <= torrent.tracker.pieceSize(piece);
        int added = serve ? p.uploadQueue.offer(piece, begin, length) : Queue.FULL;
        if (added == Queue.FULL) {
            if (p.connection.fastExtension()) {
                p.connection.rejectRequest(piece, begin, length);
            }
            return;
        }
        if (added == Queue.FIRST) {
            torrent.engine.disk().execute(p.uploadQueue.drain);
        }
    }

    /** Serves up to {@link #BATCH} of the peer's queued requests, then yields or goes idle. */
    private void drain(PeerSession p) {
        Queue q = p.uploadQueue;
        ByteBuffer buffer = torrent.engine.buffers().acquire(PieceTracker.BLOCK);
        try {
            for (int served = 0; served < BATCH; served++) {
                if (!q.poll()) {
                    return; // the queue went idle; the next request schedules a new drain
                }
                if (!serve(p, q.piece, q.begin, q.length, buffer)) {
                    q.clear();
                    return;
                }
            }
        } finally {
            torrent.engine.buffers().release(buffer);
        }
        torrent.engine.disk().execute(q.drain); // more queued: back of the line, fair to others
    }

    private boolean serve(PeerSession p, int piece, int begin, int length, ByteBuffer buffer) {
        try {
            TorrentStorage storage = torrent.storage();
            if (storage == null || p.closed) {
                return false;
            }
            buffer.clear().limit(length);
            storage.read(piece, begin, buffer);
            buffer.flip();
            p.connection.piece(piece, begin, buffer);
            p.upload.add(length);
            torrent.uploaded.add(length);
            return true;
        } catch (Exception e) {
            torrent.fail("cannot read piece " + piece + ": " + Engine.message(e));
            return false;
        }
    }

    /**
     * One peer's requests waiting for the disk: a fixed ring, so queuing allocates nothing. The
     * event loop offers, the peer's one drain task polls; whoever finds it idle schedules it.
     */
    static final class Queue {
        static final int FULL = -1;
        static final int ADDED = 0;
        static final int FIRST = 1;

        final Runnable drain;
        private final int[] ring;
        private int head;
        private int size;
        private boolean draining;
        // The request last polled: read only by the drain task.
        int piece;
        int begin;
        int length;

        Queue(Uploads owner, PeerSession p, int capacity) {
            this.ring = new int[capacity * 3];
            this.drain = () -> owner.drain(p);
        }

        /** FULL when no room, FIRST when the drain task must be scheduled, else ADDED. */
        synchronized int offer(int piece, int begin, int length) {
            if (size == ring.length / 3) {
                return FULL;
            }
            int at = (head + size * 3) % ring.length;
            ring[at] = piece;
            ring[at + 1] = begin;
            ring[at + 2] = length;
            size++;
            if (draining) {
                return ADDED;
            }
            draining = true;
            return FIRST;
        }

        /** Takes the oldest request into the fields; false (and idle) when there is none. */
        synchronized boolean poll() {
            if (size == 0) {
                draining = false;
                return false;
            }
            piece = ring[head];
            begin = ring[head + 1];
            length = ring[head + 2];
            head = (head + 3) % ring.length;
            size--;
            return true;
        }

        /** Drops everything queued and goes idle (the peer closed or the storage went away). */
        synchronized void clear() {
            size = 0;
            draining = false;
        }

        synchronized int size() {
            return size;
        }
    }
}
