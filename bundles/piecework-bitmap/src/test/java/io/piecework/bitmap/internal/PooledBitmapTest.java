package io.piecework.bitmap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.bitmap.PoolStats;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.Container;
import org.roaringbitmap.RoaringBitmap;

class PooledBitmapTest {

    private static Container firstContainer(RoaringBitmap bitmap) {
        return bitmap.getContainerPointer().getContainer();
    }

    @Test
    void keptContainerServesTheNextHoldersBitfield() {
        RoaringBitmapPool pool = new RoaringBitmapPool(8, 1 << 20, true);
        RoaringBitmap first = pool.take();
        first.add(0L, 100L);
        first.add(101L, 500L);
        Container container = firstContainer(first);
        assertTrue(pool.release(first));

        RoaringBitmap second = pool.take();
        assertSame(first, second);
        assertTrue(second.isEmpty());
        second.clear(); // as the wire decoder does
        second.add(3L, 40L);
        assertSame(container, firstContainer(second), "the container came back, not a new one");
        assertEquals(RoaringBitmap.bitmapOfRange(3, 40), second);
        assertEquals(37, second.getCardinality());
    }

    @Test
    void keptContainerServesTheNextHoldersFirstHave() {
        RoaringBitmapPool pool = new RoaringBitmapPool(8, 1 << 20, true);
        RoaringBitmap first = pool.take();
        for (int piece = 0; piece < 300; piece += 3) {
            first.add(piece);
        }
        Container container = firstContainer(first);
        pool.release(first);

        RoaringBitmap second = pool.take();
        assertTrue(second.checkedAdd(7));
        assertFalse(second.checkedAdd(7));
        assertSame(container, firstContainer(second));
        assertEquals(RoaringBitmap.bitmapOf(7), second);
        assertEquals(7, second.iterator().next());
    }

    @Test
    void keepsNoBitmapContainerSinceNoAddStartsWithOne() {
        RoaringBitmapPool pool = new RoaringBitmapPool(8, 1 << 20, true);
        RoaringBitmap first = pool.take();
        for (int piece = 0; piece < 60_000; piece += 2) {
            first.add(piece); // 30,000 values: a bitmap container
        }
        assertTrue(first.getContainerPointer().isBitmapContainer());
        pool.release(first);
        assertEquals(0, ((PooledBitmap) first).keptCount());
    }

    @Test
    void shellsOnlyDropTheContainers() {
        RoaringBitmapPool pool = new RoaringBitmapPool(8, 1 << 20, false);
        RoaringBitmap first = pool.take();
        first.add(0L, 100L);
        Container container = firstContainer(first);
        pool.release(first);
        RoaringBitmap second = pool.take();
        assertSame(first, second);
        second.add(0L, 100L);
        assertNotSame(container, firstContainer(second));
    }

    /** Reused many times, in every shape a peer's pieces take, it must read as a plain bitmap. */
    @Test
    void reusedBitmapsMatchPlainOnesOverRandomPieceSets() {
        RoaringBitmapPool pool = new RoaringBitmapPool(4, 1 << 24, true);
        Random random = new Random(11);
        for (int round = 0; round < 2_000; round++) {
            int pieces = 1 + random.nextInt(random.nextBoolean() ? 2_000 : 200_000);
            RoaringBitmap pooled = pool.take();
            RoaringBitmap plain = new RoaringBitmap();
            pooled.clear();
            if (random.nextBoolean()) { // a bitfield: ranges, ascending
                int at = 0;
                while (at < pieces) {
                    int end = Math.min(pieces, at + 1 + random.nextInt(1 + pieces / 4));
                    if (random.nextBoolean()) {
                        pooled.add((long) at, (long) end);
                        plain.add((long) at, (long) end);
                    }
                    at = end + random.nextInt(8);
                }
            }
            for (int have = random.nextInt(50); have > 0; have--) { // haves, any order
                int piece = random.nextInt(pieces);
                assertEquals(plain.checkedAdd(piece), pooled.checkedAdd(piece));
            }
            assertEquals(plain, pooled);
            assertEquals(plain.getCardinality(), pooled.getCardinality());
            assertEquals(plain.toArray().length, pooled.toArray().length);
            assertTrue(java.util.Arrays.equals(plain.toArray(), pooled.toArray()), "round " + round);
            RoaringBitmap copy = pooled.clone();
            assertEquals(RoaringBitmap.class, copy.getClass());
            pool.release(pooled);
            assertEquals(plain, copy, "a clone outlives the release");
        }
        PoolStats stats = pool.stats();
        assertEquals(2_000, stats.acquired());
        assertEquals(1, stats.misses());
        assertEquals(0, stats.corrupted());
    }

    @Test
    void aBareBitmapIsReleasedExactlyOnce() {
        RoaringBitmapPool pool = new RoaringBitmapPool(8, 1 << 20, true);
        RoaringBitmap bitmap = pool.take();
        assertTrue(pool.release(bitmap));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.release(bitmap));
        assertTrue(e.getMessage().contains("released twice"));
        assertEquals(1, pool.stats().released());
        assertEquals(0, pool.stats().inUse());
    }

    @Test
    void anotherPoolsOrAPlainBitmapIsNotKept() {
        RoaringBitmapPool pool = new RoaringBitmapPool(8, 1 << 20, true);
        RoaringBitmapPool other = new RoaringBitmapPool(8, 1 << 20, true);
        assertFalse(pool.release(other.take()));
        assertFalse(pool.release(new RoaringBitmap()));
        assertEquals(0, pool.stats().idle());
    }

    @Test
    void withPoolingOffBitmapsArePlainAndCounted() {
        RoaringBitmapPool pool = new RoaringBitmapPool(0, 1 << 20, true);
        RoaringBitmap bitmap = pool.take();
        assertEquals(RoaringBitmap.class, bitmap.getClass());
        assertFalse(pool.release(bitmap));
        assertEquals(new PoolStats(1, 1, 0, 1, 0, 0, 0, 0, 0), pool.stats());
    }

    @Test
    void newBoundsApplyToTheIdleBitmapsAtOnce() {
        RoaringBitmapPool pool = new RoaringBitmapPool(8, 1 << 20, false);
        RoaringBitmap[] out = {pool.take(), pool.take(), pool.take()};
        for (RoaringBitmap b : out) {
            pool.release(b);
        }
        assertEquals(3, pool.stats().idle());
        pool.modified(config(1, 1 << 20, false));
        assertEquals(1, pool.stats().idle());
        assertEquals(2, pool.stats().dropped());
        pool.modified(config(0, 1 << 20, false));
        assertEquals(0, pool.stats().idle());
        assertEquals(RoaringBitmap.class, pool.take().getClass(), "pooling off now");
    }

    @Test
    void aBitmapOutWhenPoolingWasTurnedOffIsStillTakenBackOnce() {
        RoaringBitmapPool pool = new RoaringBitmapPool(8, 1 << 20, true);
        RoaringBitmap bitmap = pool.take();
        pool.modified(config(0, 1 << 20, true));
        assertFalse(pool.release(bitmap), "not kept: the pool is off");
        assertThrows(IllegalStateException.class, () -> pool.release(bitmap));
        assertEquals(0, pool.stats().inUse());
    }

    static RoaringBitmapPool.Config config(int maxBitmaps, long maxBytes, boolean keepContainers) {
        return new RoaringBitmapPool.Config() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return RoaringBitmapPool.Config.class;
            }

            @Override
            public int maxBitmaps() {
                return maxBitmaps;
            }

            @Override
            public long maxBytes() {
                return maxBytes;
            }

            @Override
            public boolean keepContainers() {
                return keepContainers;
            }
        };
    }
}
