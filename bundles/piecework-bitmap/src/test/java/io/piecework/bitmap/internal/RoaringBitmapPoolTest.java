package io.piecework.bitmap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.bitmap.BitmapLease;
import io.piecework.api.bitmap.PoolStats;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

class RoaringBitmapPoolTest {

    @Test
    void reusesAReleasedBitmapCleared() {
        RoaringBitmapPool pool = new RoaringBitmapPool(8, 1 << 20);
        BitmapLease first = pool.acquire();
        RoaringBitmap bitmap = first.bitmap();
        bitmap.add(1L, 60_000L);
        first.close();

        BitmapLease second = pool.acquire();
        assertSame(bitmap, second.bitmap());
        assertTrue(second.bitmap().isEmpty());
        second.close();

        PoolStats stats = pool.stats();
        assertEquals(new PoolStats(2, 2, 1, 1, 0, 0, 0, 1, stats.bytesHeld()), stats);
        assertTrue(stats.bytesHeld() > 0);
    }

    @Test
    void detectsADoubleRelease() {
        RoaringBitmapPool pool = new RoaringBitmapPool(8, 1 << 20);
        BitmapLease lease = pool.acquire();
        lease.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, lease::close);
        assertTrue(e.getMessage().contains("released twice"));
        assertEquals(1, pool.stats().released());
        assertEquals(1, pool.stats().idle());
    }

    @Test
    void detectsUseAfterReleaseThroughTheLease() {
        RoaringBitmapPool pool = new RoaringBitmapPool(8, 1 << 20);
        BitmapLease lease = pool.acquire();
        lease.close();
        assertTrue(lease.released());
        IllegalStateException e = assertThrows(IllegalStateException.class, lease::bitmap);
        assertTrue(e.getMessage().contains("after its lease was released"));
    }

    @Test
    void detectsAWriteThroughAStaleReferenceAndNeverLendsThatBitmapAgain() {
        RoaringBitmapPool pool = new RoaringBitmapPool(8, 1 << 20);
        BitmapLease lease = pool.acquire();
        RoaringBitmap stale = lease.bitmap();
        lease.close();
        stale.add(7);

        BitmapLease next = pool.acquire();
        assertNotSame(stale, next.bitmap());
        assertTrue(next.bitmap().isEmpty());
        assertEquals(1, pool.stats().corrupted());
        assertEquals(2, pool.stats().misses());
    }

    @Test
    void keepsNoMoreThanMaxBitmaps() {
        RoaringBitmapPool pool = new RoaringBitmapPool(2, 1 << 20);
        List<BitmapLease> leases = List.of(pool.acquire(), pool.acquire(), pool.acquire());
        leases.forEach(BitmapLease::close);
        assertEquals(2, pool.stats().idle());
        assertEquals(1, pool.stats().dropped());
    }

    @Test
    void keepsNoMoreThanMaxBytes() {
        long one;
        RoaringBitmapPool probe = new RoaringBitmapPool(1, 1 << 20);
        probe.acquire().close();
        one = probe.stats().bytesHeld();

        RoaringBitmapPool pool = new RoaringBitmapPool(100, one * 2);
        List<BitmapLease> leases = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            leases.add(pool.acquire());
        }
        leases.forEach(BitmapLease::close);
        PoolStats stats = pool.stats();
        assertEquals(2, stats.idle());
        assertEquals(3, stats.dropped());
        assertTrue(stats.bytesHeld() <= one * 2);
    }

    @Test
    void zeroMaxBitmapsTurnsPoolingOff() {
        RoaringBitmapPool pool = new RoaringBitmapPool(0, 1 << 20);
        pool.acquire().close();
        pool.acquire().close();
        assertEquals(0, pool.stats().hits());
        assertEquals(2, pool.stats().misses());
    }

    @Test
    void neverLendsOneBitmapToTwoHoldersUnderConcurrentUse() throws Exception {
        RoaringBitmapPool pool = new RoaringBitmapPool(64, 1 << 24);
        Set<RoaringBitmap> out = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        int threads = 4;
        int rounds = 20_000;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(executor.submit(() -> {
                    int clashes = 0;
                    for (int i = 0; i < rounds; i++) {
                        BitmapLease lease = pool.acquire();
                        RoaringBitmap bitmap = lease.bitmap();
                        if (!out.add(bitmap) || !bitmap.isEmpty()) {
                            clashes++;
                        }
                        bitmap.add(i % 1000);
                        out.remove(bitmap);
                        lease.close();
                    }
                    return clashes;
                }));
            }
            for (Future<Integer> result : results) {
                assertEquals(0, result.get(60, TimeUnit.SECONDS));
            }
        } finally {
            executor.shutdownNow();
        }
        PoolStats stats = pool.stats();
        assertEquals((long) threads * rounds, stats.acquired());
        assertEquals(stats.acquired(), stats.released());
        assertEquals(stats.acquired(), stats.hits() + stats.misses());
        assertEquals(0, stats.inUse());
        assertTrue(stats.misses() <= threads, "at most one bitmap created per thread, got " + stats.misses());
    }
}
