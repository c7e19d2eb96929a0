package io.piecework.core.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Reused 16 KiB block buffers for the path socket → disk and disk → socket, so steady-state
 * transfers allocate nothing. Bounded: past {@code capacity} spare buffers, released ones are
 * left to the garbage collector. Direct, so file reads and writes go straight between them and
 * the kernel: a heap buffer costs an extra copy through the JDK's temporary direct buffer.
 */
final class BlockBuffers {
    private final ArrayBlockingQueue<ByteBuffer> spare;
    private final LongAdder created = new LongAdder();

    BlockBuffers(int capacity) {
        spare = new ArrayBlockingQueue<>(capacity);
    }

    ByteBuffer acquire(int length) {
        ByteBuffer b = spare.poll();
        if (b == null) {
            b = ByteBuffer.allocateDirect(PieceTracker.BLOCK);
            created.increment();
        }
        b.clear().limit(length);
        return b;
    }

    void release(ByteBuffer b) {
        if (b.capacity() == PieceTracker.BLOCK) {
            spare.offer(b);
        }
    }

    long created() {
        return created.sum();
    }
}
