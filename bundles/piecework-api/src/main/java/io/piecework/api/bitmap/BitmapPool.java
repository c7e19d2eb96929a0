package io.piecework.api.bitmap;

import org.osgi.annotation.versioning.ProviderType;
import org.roaringbitmap.RoaringBitmap;

/**
 * Lends out empty RoaringBitmaps and takes them back, cleared, for reuse. Safe for concurrent
 * use. The pool is bounded: bitmaps released beyond its bounds are dropped for the GC.
 */
@ProviderType
public interface BitmapPool {
    /** An empty bitmap, reused if one is pooled. Release it exactly once. */
    BitmapLease acquire();

    /**
     * An empty bitmap without a lease, for a holder that passes it on bare (the wire decoder
     * hands a peer's bitfield to the engine, which gives it back when the peer leaves). Give it
     * back exactly once with {@link #release(RoaringBitmap)}.
     *
     * @since 1.1
     */
    RoaringBitmap take();

    /**
     * Gives back a bitmap from {@link #take()}; the caller must not touch it afterwards.
     *
     * @return whether the pool may reuse it (false: not pooled, or not from this pool; left to the GC)
     * @throws IllegalStateException if this pool's bitmap was already given back
     * @since 1.1
     */
    boolean release(RoaringBitmap bitmap);

    PoolStats stats();
}
