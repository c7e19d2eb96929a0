package io.piecework.bitmap.internal;

import io.piecework.api.bitmap.BitmapLease;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.roaringbitmap.RoaringBitmap;

/** One loan; the CAS on {@code released} is what catches a second release from any thread. */
final class Lease implements BitmapLease {
    private static final VarHandle RELEASED;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(Lease.class, "released", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final RoaringBitmapPool pool;
    private final RoaringBitmap bitmap;
    @SuppressWarnings("unused") // accessed through RELEASED
    private volatile boolean released;

    Lease(RoaringBitmapPool pool, RoaringBitmap bitmap) {
        this.pool = pool;
        this.bitmap = bitmap;
    }

    @Override
    public RoaringBitmap bitmap() {
        if (released) {
            throw new IllegalStateException("bitmap used after its lease was released");
        }
        return bitmap;
    }

    @Override
    public boolean released() {
        return released;
    }

    @Override
    public void close() {
        if (!RELEASED.compareAndSet(this, false, true)) {
            throw new IllegalStateException("bitmap lease released twice");
        }
        pool.release(bitmap);
    }
}
