package io.piecework.storage.file.internal;

import java.util.ArrayDeque;

/**
 * Block-sized arrays that hold copies of blocks written beyond a piece's hashed prefix until the
 * prefix reaches them ({@link PieceDigests}). One set per provider, bounded: when all are in use
 * a block is not copied and its piece is read back at verification instead.
 */
final class AheadBuffers {
    static final int SIZE = 16 * 1024;
    static final int MAX = 64;

    private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
    private int made;

    /** A free array, or null if {@link #MAX} are in use. */
    synchronized byte[] take() {
        byte[] b = spare.poll();
        if (b == null && made < MAX) {
            made++;
            b = new byte[SIZE];
        }
        return b;
    }

    synchronized void give(byte[] b) {
        spare.push(b);
    }

    synchronized int inUse() {
        return made - spare.size();
    }
}
