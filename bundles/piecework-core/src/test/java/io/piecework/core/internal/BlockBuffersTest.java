package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BlockBuffersTest {
    private static final int B = PieceTracker.BLOCK;

    @Test
    void aReleasedBufferIsHandedOutAgainWithTheAskedLimit() {
        BlockBuffers buffers = new BlockBuffers(4);
        ByteBuffer first = buffers.acquire(B);
        buffers.release(first);
        ByteBuffer again = buffers.acquire(100);
        assertSame(first, again);
        assertEquals(0, again.position());
        assertEquals(100, again.limit());
        assertEquals(1, buffers.created());
    }

    @Test
    void keepsNoMoreSpareBuffersThanItsCapacityNorForeignOnes() {
        BlockBuffers buffers = new BlockBuffers(4);
        List<ByteBuffer> out = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            out.add(buffers.acquire(B));
        }
        out.forEach(buffers::release);
        buffers.release(ByteBuffer.allocate(100));
        assertEquals(4, buffers.spare());
    }

    /** Received blocks are taken on event loops and given back on disk threads, all at once. */
    @Test
    void threadsSharingThePoolNeitherLoseNorDuplicateBuffers() throws Exception {
        BlockBuffers buffers = new BlockBuffers(1024);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        ByteBuffer a = buffers.acquire(B);
                        ByteBuffer b = buffers.acquire(B);
                        assertTrue(a != b, "one buffer handed out twice");
                        buffers.release(a);
                        buffers.release(b);
                    }
                }));
            }
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(buffers.created(), buffers.spare(), "every buffer made came back to the pool");
        assertTrue(buffers.created() <= 1024);
    }
}
