package io.piecework.core.internal;

import io.piecework.api.engine.TorrentState;
import io.piecework.api.storage.FileBlock;
import io.piecework.api.storage.StorageException;
import io.piecework.api.storage.TorrentStorage;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;

/**
 * Serving blocks to peers: checks on the event loop without the torrent's lock (the verified
 * set is readable lock-free), then the request joins its peer's {@link Queue}. One task per peer
 * on the disk pool drains the queue: a busy peer costs a hand-off per batch, not per block.
 * Each block is read into a reused direct buffer and copied once into the connection; with
 * {@code sendFromFiles} on, a block that lies in one file is instead lent by storage and sent
 * from it with sendfile (the file stays open until the block has left).
 */
final class Uploads {
    /** Requests served by one disk task before it yields the thread to other peers' tasks. */
    static final int BATCH = 64;

    private final Torrent torrent;
    /** Bytes sent straight from their files rather than copied. */
    final LongAdder bytesSentFromFiles = new LongAdder();

    Uploads(Torrent torrent) {
        this.torrent = torrent;
    }

    void requested(PeerSession p, int piece, int begin, int length) {
        torrent.timer.wake(); // a quiet torrent ticks again: rates, choking rounds
        TorrentState state = torrent.state();
        boolean serve = (state == TorrentState.DOWNLOADING || state == TorrentState.SEEDING)
                && !p.amChoking
                && piece >= 0 && piece < torrent.pieceCount()
                && torrent.hasVerified(piece)
                && length <= PieceTracker.BLOCK // the wire's limit may be larger than our buffers
                && (long) begin + length <= torrent.blocks.tracker.pieceSize(piece);
        Queue queue = serve ? p.uploadQueue() : null; // made here: a peer that never asks holds none
        int drainer = queue != null ? queue.offer(piece, begin, length) : Queue.FULL;
        if (drainer == Queue.FULL) {
            if (p.connection.fastExtension()) {
                p.connection.rejectRequest(piece, begin, length);
            }
            return;
        }
        if (drainer >= 0) {
            torrent.engine.disk().execute(queue.drain(drainer));
        }
    }

    /** Serves up to {@link #BATCH} of the peer's queued requests, then yields or goes idle. */
    private void drain(PeerSession p, int drainer) {
        Queue q = p.uploadQueue(); // made by the request that scheduled this drainer
        int[] request = q.polled[drainer];
        ByteBuffer buffer = torrent.engine.buffers().acquire(PieceTracker.BLOCK);
        try {
            for (int served = 0; served < BATCH; served++) {
                if (!q.poll(drainer)) {
                    return; // this drainer went idle; the next request schedules it again
                }
                if (!serve(p, request[0], request[1], request[2], buffer)) {
                    q.clear(); // the next poll finds nothing and marks this drainer idle
                }
            }
        } finally {
            torrent.engine.buffers().release(buffer);
        }
        torrent.engine.disk().execute(q.drain(drainer)); // back of the line, fair to other peers
    }

    private boolean serve(PeerSession p, int piece, int begin, int length, ByteBuffer buffer) {
        try {
            TorrentStorage storage = torrent.storage();
            if (storage == null || p.closed) {
                return false;
            }
            if (!sendFromFile(p, storage, piece, begin, length)) {
                buffer.clear().limit(length);
                storage.read(piece, begin, buffer);
                buffer.flip();
                p.connection.piece(piece, begin, buffer);
            }
            p.uploaded(length);
            torrent.uploaded.add(length);
            return true;
        } catch (Exception e) {
            torrent.fail("cannot read piece " + piece + ": " + Engine.message(e));
            return false;
        }
    }

    /** Hands the block's file range to the connection when storage lends one; false to copy it. */
    private boolean sendFromFile(PeerSession p, TorrentStorage storage, int piece, int begin, int length)
            throws StorageException {
        if (!torrent.engine.settings().sendFromFiles()) {
            return false;
        }
        FileBlock block = storage.fileBlock(piece, begin, length).orElse(null);
        if (block == null) {
            return false;
        }
        try {
            p.connection.piece(piece, begin, block.channel(), block.position(), length, block::close);
        } catch (RuntimeException e) {
            block.close();
            throw e;
        }
        bytesSentFromFiles.add(length);
        return true;
    }

    /**
     * One peer's requests waiting for the disk: a ring, so queuing allocates nothing once it has
     * grown to the peer's pace. It is made at the first request, doubles up to the capacity (the
     * reqq we announce, 1000: 12 KiB at full size) and is given back by {@link #release()} when the
     * peer is quiet, so the many peers that never ask for anything hold no ring. The event loop
     * offers; up to {@link #DRAINERS} drain tasks poll, so one fast peer keeps two disk threads
     * busy; whoever finds a drainer idle schedules it. The drainers' tasks and slots are made
     * with the first ring too: most connections of an idle engine never ask for a block, and
     * those would cost a few hundred bytes each.
     */
    static final class Queue {
        static final int FULL = -2;
        static final int SCHEDULED = -1;
        static final int DRAINERS = 2;
        static final int FIRST_CAPACITY = 16;
        private static final int[] EMPTY = new int[0];

        private final Uploads owner;
        private final PeerSession peer;
        /** Each drainer's task; null until the first request. */
        private Runnable[] drains;
        /** Each drainer's last polled request (piece, begin, length); only that drainer reads it; null until the first request. */
        int[][] polled;
        /** Bit i: drainer i is scheduled or running. */
        private int running;
        private final int capacity;
        private int[] ring = EMPTY;
        private int head;
        private int size;

        Queue(Uploads owner, PeerSession p, int capacity) {
            this.owner = owner;
            this.peer = p;
            this.capacity = capacity;
        }

        /** Drainer {@code i}'s task, once {@link #offer} has returned {@code i}. */
        synchronized Runnable drain(int i) {
            return drains[i];
        }

        /** Whether the drainers' tasks and slots were made (for tests of what an idle peer holds). */
        synchronized boolean drainersMade() {
            return drains != null;
        }

        /** FULL when no room; the drainer to schedule; or SCHEDULED when enough already run. */
        synchronized int offer(int piece, int begin, int length) {
            if (size == ring.length / 3 && !grow()) {
                return FULL;
            }
            if (drains == null) {
                makeDrainers();
            }
            int at = (head + size * 3) % ring.length;
            ring[at] = piece;
            ring[at + 1] = begin;
            ring[at + 2] = length;
            size++;
            int busy = Integer.bitCount(running);
            for (int i = 0; i < DRAINERS && busy < size; i++) {
                if ((running & 1 << i) == 0) {
                    running |= 1 << i;
                    return i;
                }
            }
            return SCHEDULED;
        }

        private void makeDrainers() {
            Runnable[] tasks = new Runnable[DRAINERS];
            int[][] slots = new int[DRAINERS][3];
            for (int i = 0; i < DRAINERS; i++) {
                int drainer = i;
                tasks[i] = () -> owner.drain(peer, drainer);
            }
            polled = slots;
            drains = tasks;
        }

        /** Doubles the ring, oldest request first; false at capacity. */
        private boolean grow() {
            if (size == capacity) {
                return false;
            }
            int[] bigger = new int[Math.min(capacity, Math.max(FIRST_CAPACITY, size * 2)) * 3];
            for (int i = 0; i < size; i++) {
                System.arraycopy(ring, (head + i * 3) % ring.length, bigger, i * 3, 3);
            }
            ring = bigger;
            head = 0;
            return true;
        }

        /** Takes the oldest request into the drainer's slot; false (and idle) when there is none. */
        synchronized boolean poll(int drainer) {
            if (size == 0) {
                running &= ~(1 << drainer);
                return false;
            }
            int[] into = polled[drainer];
            into[0] = ring[head];
            into[1] = ring[head + 1];
            into[2] = ring[head + 2];
            head = (head + 3) % ring.length;
            size--;
            return true;
        }

        /** Drops everything queued (the peer closed or the storage went away). */
        synchronized void clear() {
            size = 0;
        }

        synchronized int size() {
            return size;
        }

        /** With nothing queued, gives the ring back; the next request makes it again. */
        synchronized void release() {
            if (size == 0) {
                ring = EMPTY;
                head = 0;
            }
        }

        /** Requests the ring holds without growing. */
        synchronized int allocated() {
            return ring.length / 3;
        }
    }
}
