package io.piecework.loadtest.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Used heap after garbage collection, for the heap-per-torrent figure. */
final class Heap {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private Heap() {
    }

    /** Used heap after a few full collections, until it stops shrinking (bounded). */
    static long usedAfterGc() throws InterruptedException {
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc(); // a full collection, done when it returns (the JVM's default, not a concurrent cycle)
            long used = MEMORY.getHeapMemoryUsage().getUsed();
            if (used >= last - (64 << 10)) {
                return Math.min(used, last);
            }
            last = used;
        }
        return last;
    }
}
