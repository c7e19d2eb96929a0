package io.piecework.core.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A torrent's written blocks kept in their buffers until their piece is hashed, so the hashing
 * thread hashes them from memory instead of reading the piece back from the page cache (a copy
 * and a system call per read: about a fifth of the hashing threads' time). Only pieces in
 * progress are here, and the engine's {@link BlockBuffers#hold()} bounds the blocks of all
 * torrents together: a block it refuses is given back at once and its piece is read back.
 *
 * <p>Each buffer is released exactly once, by whoever swaps it out of its slot: the disk thread
 * that writes the block again, the thread that takes the whole piece for hashing, or a stop.
 */
final class HeldBlocks {
    private final BlockBuffers buffers;
    private final ConcurrentHashMap<Integer, AtomicReferenceArray<ByteBuffer>> pieces = new ConcurrentHashMap<>();

    HeldBlocks(BlockBuffers buffers) {
        this.buffers = buffers;
    }

    /** On the disk pool, after the write: keeps the block (positioned as written) or releases it. */
    void keep(int piece, int blocks, int block, ByteBuffer data) {
        if (!buffers.hold()) {
            buffers.release(data);
            return;
        }
        ByteBuffer before = pieces.computeIfAbsent(piece, p -> new AtomicReferenceArray<>(blocks)).getAndSet(block, data);
        if (before != null) {
            buffers.releaseHeld(before); // written twice (a piece that failed its hash): the newer counts
        }
    }

    /**
     * The piece's blocks, in order, now the caller's to {@link #release}; a block not kept is
     * null (the storage then reads the piece back). Null when none was kept.
     */
    ByteBuffer[] take(int piece) {
        AtomicReferenceArray<ByteBuffer> kept = pieces.remove(piece);
        if (kept == null) {
            return null;
        }
        ByteBuffer[] taken = new ByteBuffer[kept.length()];
        for (int i = 0; i < taken.length; i++) {
            taken[i] = kept.getAndSet(i, null);
        }
        return taken;
    }

    void release(ByteBuffer[] taken) {
        if (taken != null) {
            for (ByteBuffer b : taken) {
                if (b != null) {
                    buffers.releaseHeld(b);
                }
            }
        }
    }

    /** The torrent stopped: blocks of unfinished pieces go back to the pool. */
    void dropAll() {
        for (Integer piece : pieces.keySet()) {
            release(take(piece));
        }
    }

    /** Pieces with blocks kept, for tests. */
    int pieces() {
        return pieces.size();
    }
}
