package io.piecework.core.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Reused 16 KiB block buffers for the path socket → disk and disk → socket, so steady-state
 * transfers allocate nothing. Bounded: past {@code capacity} spare buffers, released ones are
 * left to the garbage collector. Direct, so file reads and writes go straight between them and
 * the kernel: a heap buffer costs an extra copy through the JDK's temporary direct buffer.
 * Lock-free: every received block and every upload batch of every torrent passes through here,
 * so a queue with one lock would be an engine-wide lock on the block path.
 */
final class BlockBuffers {
    private final int capacity;
    private final ConcurrentLinkedQueue<ByteBuffer> spare = new ConcurrentLinkedQueue<>();
    /** Buffers in {@link #spare}, or about to be: counted before offering, so the bound holds. */
    private final AtomicInteger spareCount = new AtomicInteger();
    private final LongAdder created = new LongAdder();
    /**
     * Written blocks kept until their piece is hashed, engine-wide: bounded, so pieces of many
     * torrents (or of 16 MiB) in progress at once cannot hold memory without limit.
     */
    private final AtomicInteger held = new AtomicInteger();
    private final int maxHeld;

    BlockBuffers(int capacity) {
        this(capacity, capacity * 2);
    }

    /** @param maxHeld written blocks that may wait in memory for their piece's hash */
    BlockBuffers(int capacity, int maxHeld) {
        this.capacity = capacity;
        this.maxHeld = maxHeld;
    }

    /** Takes a place for a written block kept until its piece is hashed; false when all are taken. */
    boolean hold() {
        if (held.incrementAndGet() > maxHeld) {
            held.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Gives back a held block's place and the buffer. */
    void releaseHeld(ByteBuffer b) {
        held.decrementAndGet();
        release(b);
    }

    int held() {
        return held.get();
    }

    ByteBuffer acquire(int length) {
        ByteBuffer b = spare.poll();
        if (b == null) {
            b = ByteBuffer.allocateDirect(PieceTracker.BLOCK);
            created.increment();
        } else {
            spareCount.decrementAndGet();
        }
        b.clear().limit(length);
        return b;
    }

    void release(ByteBuffer b) {
        if (b.capacity() != PieceTracker.BLOCK) {
            return;
        }
        if (spareCount.incrementAndGet() > capacity) {
            spareCount.decrementAndGet(); // full: this one goes to the garbage collector
            return;
        }
        spare.offer(b);
    }

    long created() {
        return created.sum();
    }

    int spare() {
        return spareCount.get();
    }
}
