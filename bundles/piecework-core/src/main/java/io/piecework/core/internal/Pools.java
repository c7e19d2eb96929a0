package io.piecework.core.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/** The engine's thread pools: named daemon threads, and a fixed pool resized while it runs. */
final class Pools {
    private Pools() {
    }

    static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Gives a fixed pool {@code threads} threads (at least one); queued work is kept. */
    static void resize(ExecutorService executor, int threads) {
        if (!(executor instanceof ThreadPoolExecutor pool) || pool.getMaximumPoolSize() == Math.max(1, threads)) {
            return;
        }
        int n = Math.max(1, threads);
        // The core size may never exceed the maximum: grow the maximum first, shrink it last.
        if (n > pool.getMaximumPoolSize()) {
            pool.setMaximumPoolSize(n);
            pool.setCorePoolSize(n);
        } else {
            pool.setCorePoolSize(n);
            pool.setMaximumPoolSize(n);
        }
    }
}
