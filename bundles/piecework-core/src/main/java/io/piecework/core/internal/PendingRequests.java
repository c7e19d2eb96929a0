package io.piecework.core.internal;

import java.util.Arrays;

/**
 * The requests out to one peer: (piece, block) pairs with the time each was sent, in arrays
 * that grow once and are reused, so steady-state requesting allocates nothing.
 */
final class PendingRequests implements PieceTracker.BlockAsked {
    private int[] pieces = new int[64];
    private int[] blocks = new int[64];
    private long[] sentAt = new long[64];
    private int size;

    int size() {
        return size;
    }

    void add(int piece, int block, long now) {
        if (size == pieces.length) {
            pieces = Arrays.copyOf(pieces, size * 2);
            blocks = Arrays.copyOf(blocks, size * 2);
            sentAt = Arrays.copyOf(sentAt, size * 2);
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
