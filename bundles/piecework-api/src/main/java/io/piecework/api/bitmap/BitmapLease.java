package io.piecework.api.bitmap;

import org.osgi.annotation.versioning.ProviderType;
import org.roaringbitmap.RoaringBitmap;

/**
 * One loan of a bitmap from a {@link BitmapPool}. After {@link #close()} the lease refuses
 * {@link #bitmap()} and a second close, both with an {@link IllegalStateException}: a holder
 * must not keep the bitmap itself beyond the lease.
 */
@ProviderType
public interface BitmapLease extends AutoCloseable {
    /** The leased bitmap; throws {@link IllegalStateException} once released. */
    RoaringBitmap bitmap();

    boolean released();

    /** Returns the bitmap to the pool; throws {@link IllegalStateException} if already released. */
    @Override
    void close();
}
