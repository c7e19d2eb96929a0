package io.piecework.strategy.cached.internal;

import java.util.Arrays;

/**
 * What {@link PieceIndex} has counted into availability for each peer, one bit per piece per
 * peer: a duplicate have is not counted twice, and a peer that is gone or whose set is
 * replaced is subtracted exactly, without asking a view that may be gone. Peers are few (a
 * pipeline each), so a linear search by id beats a map and allocates nothing per event.
 */
final class CountedPieces {
    private long[] ids = new long[8];
    private long[][] bits = new long[8][];
    private int count;

    /** The peer's counted pieces, made empty for {@code pieceCount} pieces on first use. */
    long[] of(long id, int pieceCount) {
        int i = indexOf(id);
        if (i >= 0) {
            return bits[i];
        }
        if (count == ids.length) {
            ids = Arrays.copyOf(ids, count * 2);
            bits = Arrays.copyOf(bits, count * 2);
        }
        ids[count] = id;
        bits[count] = new long[(pieceCount + 63) >>> 6];
        return bits[count++];
    }

    /** Forgets the peer and returns what was counted for it, or null if nothing was. */
    long[] remove(long id) {
        int i = indexOf(id);
        if (i < 0) {
            return null;
        }
        long[] gone = bits[i];
        count--;
        ids[i] = ids[count];
        bits[i] = bits[count];
        bits[count] = null;
        return gone;
    }

    void clear() {
        Arrays.fill(bits, null);
        count = 0;
    }

    static boolean has(long[] bits, int piece) {
        return (bits[piece >>> 6] & 1L << piece) != 0;
    }

    static void flip(long[] bits, int piece) {
        bits[piece >>> 6] ^= 1L << piece;
    }

    private int indexOf(long id) {
        for (int i = 0; i < count; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        return -1;
    }
}
