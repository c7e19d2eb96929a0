package io.piecework.core.internal;

import java.util.Arrays;

/**
 * The requests out to one peer: (piece, block) pairs with the time each was sent, in arrays
 * that grow as the pipeline widens and are reused, so steady-state requesting allocates nothing.
 * They are made at the first request and given back by {@link #release()} once the peer is
 * quiet: most peers of most torrents (seeding, or idle) never have a request out.
 */
final class PendingRequests implements PieceTracker.BlockAsked {
    static final int FIRST_CAPACITY = 16;
    private static final int[] NO_INTS = new int[0];
    private static final long[] NO_LONGS = new long[0];

    private int[] pieces = NO_INTS;
    private int[] blocks = NO_INTS;
    private long[] sentAt = NO_LONGS;
    private int size;

    int size() {
        return size;
    }

    void add(int piece, int block, long now) {
        if (size == pieces.length) {
            int capacity = Math.max(FIRST_CAPACITY, size * 2);
            pieces = Arrays.copyOf(pieces, capacity);
            blocks = Arrays.copyOf(blocks, capacity);
            sentAt = Arrays.copyOf(sentAt, capacity);
        }
        pieces[size] = piece;
        blocks[size] = block;
        sentAt[size] = now;
        size++;
    }

    @Override
    public boolean asked(int piece, int block) {
        return indexOf(piece, block) >= 0;
    }

    /** Removes the request; false when it was not out (unsolicited or already cancelled). */
    boolean remove(int piece, int block) {
        int i = indexOf(piece, block);
        if (i < 0) {
            return false;
        }
        removeAt(i);
        return true;
    }

    int piece(int i) {
        return pieces[i];
    }

    int block(int i) {
        return blocks[i];
    }

    long sentAt(int i) {
        return sentAt[i];
    }

    /** Removes entry {@code i}; the last entry takes its place. */
    void removeAt(int i) {
        size--;
        pieces[i] = pieces[size];
        blocks[i] = blocks[size];
        sentAt[i] = sentAt[size];
    }

    void clear() {
        size = 0;
    }

    /** With nothing out, gives the arrays back; the next request makes them again. */
    void release() {
        if (size == 0) {
            pieces = NO_INTS;
            blocks = NO_INTS;
            sentAt = NO_LONGS;
        }
    }

    /** Requests the arrays have room for without growing. */
    int capacity() {
        return pieces.length;
    }

    private int indexOf(int piece, int block) {
        // A pipeline holds at most a few hundred requests: a linear scan over two int arrays
        // stays in cache and beats a hash map that would allocate.
        for (int i = 0; i < size; i++) {
            if (pieces[i] == piece && blocks[i] == block) {
                return i;
            }
        }
        return -1;
    }
}
