package io.piecework.core.internal;

import java.util.Arrays;

/**
 * The requests out to one peer: (piece, block) pairs with the time each was sent, in arrays
 * that grow as the pipeline widens and are reused, so steady-state requesting allocates nothing.
 * They are made at the first request and given back by {@link #release()} once the peer is
 * quiet: most peers of most torrents (seeding, or idle) never have a request out.
 *
 * <p>Kept in the order sent, from {@code head}: peers answer in that order, so the block that
 * arrives is almost always the first entry, found at once and removed by moving {@code head}.
 * (Filling the hole with the last entry scrambled the order, and each arriving block was looked
 * for through half the pipeline: 3 % of {@code get}'s event loop at a pipeline of hundreds.)
 *
 * <p>{@link #asked} is answered by a hash index of the entries, not a scan: in endgame the
 * tracker asks it for every block of every piece the strategy offers a peer, and scans of a
 * pipeline of 800 cost 70 million comparisons in the last seconds of a 256 MiB {@code get}.
 */
final class PendingRequests implements PieceTracker.BlockAsked {
    static final int FIRST_CAPACITY = 16;
    private static final int[] NO_INTS = new int[0];
    private static final long[] NO_LONGS = new long[0];

    private int[] pieces = NO_INTS;
    private int[] blocks = NO_INTS;
    private long[] sentAt = NO_LONGS;
    /** Where the oldest request is: entries are {@code [head, head + size)}. */
    private int head;
    private int size;
    /** The entries' keys ({@link #key}; 0 is a free slot), linear probing, at most half full. */
    private long[] index = NO_LONGS;
    /** How often each indexed key is out (a pair is normally asked once per peer). */
    private int[] counts = NO_INTS;
    private int probes;

    int size() {
        return size;
    }

    void add(int piece, int block, long now) {
        if (head + size == pieces.length) {
            if (size * 2 > pieces.length || size == 0 && pieces.length == 0) {
                int capacity = Math.max(FIRST_CAPACITY, size * 2);
                pieces = Arrays.copyOfRange(pieces, head, head + capacity);
                blocks = Arrays.copyOfRange(blocks, head, head + capacity);
                sentAt = Arrays.copyOfRange(sentAt, head, head + capacity);
            } else { // at most half full: slide the entries down instead of growing
                System.arraycopy(pieces, head, pieces, 0, size);
                System.arraycopy(blocks, head, blocks, 0, size);
                System.arraycopy(sentAt, head, sentAt, 0, size);
            }
            head = 0;
        }
        int at = head + size;
        pieces[at] = piece;
        blocks[at] = block;
        sentAt[at] = now;
        size++;
        if (size * 2 > index.length) {
            reindex(Math.max(FIRST_CAPACITY * 2, Integer.highestOneBit(size) * 4));
        } else {
            indexAdd(key(piece, block));
        }
    }

    @Override
    public boolean asked(int piece, int block) {
        return index.length > 0 && index[slotOf(key(piece, block))] != 0;
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

    /** Entry {@code i}, oldest first. */
    int piece(int i) {
        return pieces[head + i];
    }

    int block(int i) {
        return blocks[head + i];
    }

    long sentAt(int i) {
        return sentAt[head + i];
    }

    /** Removes entry {@code i}; the others keep their order (entries before {@code i} their index). */
    void removeAt(int i) {
        indexRemove(key(pieces[head + i], blocks[head + i]));
        if (i == 0) {
            head++;
        } else {
            int from = head + i + 1;
            System.arraycopy(pieces, from, pieces, from - 1, size - i - 1);
            System.arraycopy(blocks, from, blocks, from - 1, size - i - 1);
            System.arraycopy(sentAt, from, sentAt, from - 1, size - i - 1);
        }
        size--;
        if (size == 0) {
            head = 0;
        }
    }

    void clear() {
        head = 0;
        size = 0;
        Arrays.fill(index, 0L);
    }

    /** With nothing out, gives the arrays back; the next request makes them again. */
    void release() {
        if (size == 0) {
            head = 0;
            index = NO_LONGS;
            counts = NO_INTS;
            pieces = NO_INTS;
            blocks = NO_INTS;
            sentAt = NO_LONGS;
        }
    }

    /** Requests the arrays have room for without growing. */
    int capacity() {
        return pieces.length;
    }

    private static long key(int piece, int block) {
        return ((long) piece << 32 | block) + 1; // never 0: piece and block are not negative
    }

    private int home(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & (index.length - 1);
    }

    /** The key's slot, or the free slot where it would go. */
    private int slotOf(long key) {
        int mask = index.length - 1;
        int i = home(key);
        int read = 1;
        while (index[i] != 0 && index[i] != key) {
            i = (i + 1) & mask;
            read++;
        }
        probes = read;
        return i;
    }

    /** Slots the last look-up read, for tests: a handful, where a scan reads the whole pipeline. */
    int probesOfLastAsk() {
        return probes;
    }

    private void indexAdd(long key) {
        int i = slotOf(key);
        if (index[i] == key) {
            counts[i]++;
        } else {
            index[i] = key;
            counts[i] = 1;
        }
    }

    private void indexRemove(long key) {
        int i = slotOf(key);
        if (index[i] == 0 || --counts[i] > 0) {
            return;
        }
        // Backward-shift deletion: entries after the hole that may live there move into it.
        int mask = index.length - 1;
        for (int j = (i + 1) & mask; index[j] != 0; j = (j + 1) & mask) {
            int h = home(index[j]);
            boolean stays = i <= j ? i < h && h <= j : i < h || h <= j;
            if (!stays) {
                index[i] = index[j];
                counts[i] = counts[j];
                i = j;
            }
        }
        index[i] = 0;
        counts[i] = 0;
    }

    private void reindex(int length) {
        index = new long[length];
        counts = new int[length];
        for (int i = head, end = head + size; i < end; i++) {
            indexAdd(key(pieces[i], blocks[i]));
        }
    }

    private int indexOf(int piece, int block) {
        // A pipeline holds at most a few hundred requests: a linear scan over two int arrays
        // stays in cache and beats a hash map that would allocate.
        for (int i = head, end = head + size; i < end; i++) {
            if (pieces[i] == piece && blocks[i] == block) {
                return i - head;
            }
        }
        return -1;
    }
}
