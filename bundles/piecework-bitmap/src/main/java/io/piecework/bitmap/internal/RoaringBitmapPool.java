package io.piecework.bitmap.internal;

import io.piecework.api.bitmap.BitmapLease;
import io.piecework.api.bitmap.BitmapPool;
import io.piecework.api.bitmap.PoolStats;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.roaringbitmap.RoaringBitmap;

/**
 * A bounded LIFO stack of cleared bitmaps behind one short lock. LIFO so the bitmap handed out
 * is the one most recently touched (warm in cache). With pooling off it hands out plain
 * RoaringBitmaps and only counts, so its users' code is the same either way.
 */
@Component(service = BitmapPool.class)
@Designate(ocd = RoaringBitmapPool.Config.class)
public final class RoaringBitmapPool implements BitmapPool {

    @ObjectClassDefinition(name = "Piecework bitmap pool",
            description = "Pooled RoaringBitmaps for peer piece sets")
    public @interface Config {
        // Off by default: measured on the engine with peer churn, see the README.
        @AttributeDefinition(description = "Most idle bitmaps kept; 0 (the default) turns pooling off")
        int maxBitmaps() default 0;

        @AttributeDefinition(description = "Most bytes of idle bitmaps kept")
        long maxBytes() default 16L * 1024 * 1024;

        @AttributeDefinition(description = "Keep a released bitmap's containers, cleared, for its next holder; "
                + "else only the empty bitmap is kept")
        boolean keepContainers() default false;
    }

    private volatile int maxBitmaps;
    private volatile long maxBytes;
    private volatile boolean keepContainers;
    // Guarded by this.
    private PooledBitmap[] idle;
    private long[] idleSizes;
    private int idleCount;
    private long idleBytes;
    private boolean closed;
    private final LongAdder acquired = new LongAdder();
    private final LongAdder released = new LongAdder();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder corrupted = new LongAdder();

    @Activate
    public RoaringBitmapPool(Config config) {
        this(config.maxBitmaps(), config.maxBytes(), config.keepContainers());
    }

    public RoaringBitmapPool(int maxBitmaps, long maxBytes) {
        this(maxBitmaps, maxBytes, false);
    }

    public RoaringBitmapPool(int maxBitmaps, long maxBytes, boolean keepContainers) {
        this.idle = new PooledBitmap[0];
        this.idleSizes = new long[0];
        configure(maxBitmaps, maxBytes, keepContainers);
    }

    /** New bounds apply at once: idle bitmaps beyond them are dropped; loans are untouched. */
    @Modified
    void modified(Config config) {
        configure(config.maxBitmaps(), config.maxBytes(), config.keepContainers());
    }

    private synchronized void configure(int maxBitmaps, long maxBytes, boolean keepContainers) {
        if (maxBitmaps < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("pool bounds must not be negative");
        }
        while (idleCount > 0 && (idleCount > maxBitmaps || idleBytes > maxBytes)) {
            pop();
            dropped.increment();
        }
        idle = Arrays.copyOf(idle, maxBitmaps);
        idleSizes = Arrays.copyOf(idleSizes, maxBitmaps);
        this.maxBitmaps = maxBitmaps;
        this.maxBytes = maxBytes;
        this.keepContainers = keepContainers;
    }

    @Override
    public BitmapLease acquire() {
        return new Lease(this, take());
    }

    @Override
    public RoaringBitmap take() {
        acquired.increment();
        if (maxBitmaps == 0) {
            misses.increment();
            return new RoaringBitmap();
        }
        PooledBitmap bitmap;
        while ((bitmap = pop()) != null) {
            if (bitmap.isEmpty()) {
                hits.increment();
                bitmap.lend();
                return bitmap;
            }
            // Written to through a reference kept past its release: never lend it again.
            corrupted.increment();
        }
        misses.increment();
        bitmap = new PooledBitmap(this);
        bitmap.lend();
        return bitmap;
    }

    @Override
    public boolean release(RoaringBitmap bitmap) {
        if (!(bitmap instanceof PooledBitmap pooled)) {
            released.increment(); // handed out while pooling was off
            return false;
        }
        if (pooled.pool != this) {
            return false; // another pool's (this component was replaced): let it go
        }
        if (!pooled.giveBack()) {
            throw new IllegalStateException("bitmap released twice");
        }
        released.increment();
        boolean keep = keepContainers;
        long before = bitmap.getLongSizeInBytes();
        pooled.stash(keep);
        long size = keep ? before : bitmap.getLongSizeInBytes();
        if (push(pooled, size)) {
            return true;
        }
        pooled.dropKept();
        dropped.increment();
        return false;
    }

    private synchronized PooledBitmap pop() {
        if (idleCount == 0) {
            return null;
        }
        int top = --idleCount;
        PooledBitmap bitmap = idle[top];
        idle[top] = null;
        idleBytes -= idleSizes[top];
        return bitmap;
    }

    private synchronized boolean push(PooledBitmap bitmap, long size) {
        if (closed || idleCount >= idle.length || idleBytes + size > maxBytes) {
            return false;
        }
        idle[idleCount] = bitmap;
        idleSizes[idleCount] = size;
        idleCount++;
        idleBytes += size;
        return true;
    }

    @Override
    public PoolStats stats() {
        int idleNow;
        long bytesNow;
        synchronized (this) {
            idleNow = idleCount;
            bytesNow = idleBytes;
        }
        long acq = acquired.sum();
        long rel = released.sum();
        return new PoolStats(acq, rel, hits.sum(), misses.sum(), dropped.sum(), corrupted.sum(),
                acq - rel, idleNow, bytesNow);
    }

    /** Drops the idle bitmaps; leases still out may be released and are then let go. */
    @Deactivate
    public synchronized void close() {
        closed = true;
        Arrays.fill(idle, null);
        idleCount = 0;
        idleBytes = 0;
    }
}
