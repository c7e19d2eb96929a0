package io.piecework.bitmap.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.roaringbitmap.ArrayContainer;
import org.roaringbitmap.Container;
import org.roaringbitmap.ContainerPointer;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.RunContainer;

/**
 * A bitmap that belongs to a pool. Two things a plain RoaringBitmap cannot do:
 * <ul>
 *   <li>it knows whether it is on loan, so a second release is caught without a lease object;</li>
 *   <li>it can keep its containers when released ({@link #stash}). RoaringBitmap drops a
 *       container the moment it is empty and allocates a new one when a value arrives under a
 *       key it lacks; it has no hook to hand it one. So the adds a peer's piece set sees (a
 *       bitfield's ranges, a have) are overridden here: the first value added to the empty
 *       bitmap goes into a kept container, cleared, instead of a new one. The bitmap is a
 *       valid RoaringBitmap at every moment (no empty container is ever in it).</li>
 * </ul>
 * {@link #clear()} empties in place: RoaringBitmap's own allocates a new key array, and the wire
 * decoder clears every bitmap it is given.
 */
final class PooledBitmap extends RoaringBitmap {
    private static final long serialVersionUID = 1L;
    private static final long ALL = 1L << 32;
    /** Containers kept per bitmap: the first add takes one, a run or an array container. */
    private static final int MAX_KEPT = 2;
    private static final VarHandle ON_LOAN;

    static {
        try {
            ON_LOAN = MethodHandles.lookup().findVarHandle(PooledBitmap.class, "onLoan", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final transient RoaringBitmapPool pool;
    @SuppressWarnings("unused") // accessed through ON_LOAN
    private volatile boolean onLoan;
    // Touched by the holder (adds) or by the pool (stash) while nobody else holds the bitmap.
    private final transient Container[] kept = new Container[MAX_KEPT];
    private transient int keptCount;

    PooledBitmap(RoaringBitmapPool pool) {
        this.pool = pool;
    }

    void lend() {
        ON_LOAN.setVolatile(this, true);
    }

    /** False if it was not on loan: given back twice. */
    boolean giveBack() {
        return ON_LOAN.compareAndSet(this, true, false);
    }

    /**
     * Empties the bitmap for the pool; with {@code keep}, its containers are cleared in place
     * and kept for the next holder's adds, else they go to the GC.
     */
    void stash(boolean keep) {
        if (keep) {
            for (ContainerPointer p = getContainerPointer(); p.getContainer() != null && keptCount < MAX_KEPT;
                 p.advance()) {
                // A bitmap container is never what an add under a new key starts with: keeping
                // one would hold 8 KiB for nothing.
                if (!p.isBitmapContainer()) {
                    kept[keptCount++] = p.getContainer();
                }
            }
        } else {
            dropKept();
        }
        remove(0L, ALL); // by range: keeps the key and container arrays
        for (int i = 0; i < keptCount; i++) {
            kept[i].clear();
        }
    }

    void dropKept() {
        for (int i = 0; i < keptCount; i++) {
            kept[i] = null;
        }
        keptCount = 0;
    }

    int keptCount() {
        return keptCount;
    }

    /**
     * A kept container of the type RoaringBitmap itself would create, for the first value of an
     * empty bitmap; else null. Same type, so the bitmap goes on to behave (convert, compare,
     * serialise) exactly as a plain one. Only into an empty bitmap: appending elsewhere needs
     * the last key, and {@code last()} scans a bitmap container's words on every add. A piece
     * set under 65,536 pieces has one container, so that is the one that counts.
     */
    private Container keptFor(Class<? extends Container> type) {
        if (keptCount == 0 || !isEmpty()) {
            return null;
        }
        for (int i = keptCount - 1; i >= 0; i--) {
            Container c = kept[i];
            if (c.getClass() == type) {
                kept[i] = kept[--keptCount];
                kept[keptCount] = null;
                return c;
            }
        }
        return null;
    }

    @Override
    public void add(int x) {
        if (!addKept(x)) {
            super.add(x);
        }
    }

    @Override
    public boolean checkedAdd(int x) {
        return addKept(x) || super.checkedAdd(x);
    }

    private boolean addKept(int x) {
        Container c = keptFor(ArrayContainer.class);
        if (c == null) {
            return false;
        }
        append((char) (x >>> 16), c.add((char) x));
        return true;
    }

    @Override
    public void add(long rangeStart, long rangeEnd) {
        if (rangeStart >= 0 && rangeStart < rangeEnd && rangeEnd <= ALL
                && rangeStart >>> 16 == (rangeEnd - 1) >>> 16) {
            int key = (int) (rangeStart >>> 16);
            // RoaringBitmap makes a run of more than two values a run container.
            Container c = keptFor(rangeEnd - rangeStart > 2 ? RunContainer.class : ArrayContainer.class);
            if (c != null) {
                int low = (int) (rangeStart & 0xFFFF);
                append((char) key, c.iadd(low, low + (int) (rangeEnd - rangeStart)));
                return;
            }
        }
        super.add(rangeStart, rangeEnd);
    }

    @Override
    public void clear() {
        remove(0L, ALL);
    }

    /** A plain copy: a clone must not share this bitmap's kept containers or its loan. */
    @Override
    public RoaringBitmap clone() {
        RoaringBitmap copy = new RoaringBitmap();
        copy.or(this);
        return copy;
    }
}
