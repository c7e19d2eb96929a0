package io.piecework.api.bitmap;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Lends out empty RoaringBitmaps and takes them back, cleared, for reuse. Safe for concurrent
 * use. The pool is bounded: bitmaps released beyond its bounds are dropped for the GC.
 */
@ProviderType
public interface BitmapPool {
    /** An empty bitmap, reused if one is pooled. Release it exactly once. */
    BitmapLease acquire();

    PoolStats stats();
}
