package io.piecework.api.strategy;

/**
 * The piece order every strategy follows, so that strategies differ in cost, not in what
 * they request: higher priority first, then partial pieces (finish what is started), then
 * rarer pieces, then a random but fixed tie-break, then the lower index.
 */
public final class PieceOrder {
    private PieceOrder() {
    }

    /**
     * The tie-break rank of {@code piece}: a bijective mix of the piece index and the
     * torrent's seed, so equal pieces spread across peers without storing a permutation.
     */
    public static long tieBreak(long seed, int piece) {
        long z = seed + 0x9E3779B97F4A7C15L * (piece + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Compares two wanted pieces by the order above; negative when {@code a} comes first.
     * {@code availability} is how many connected peers have each piece.
     */
    public static int compare(TorrentView torrent, int[] availability, int a, int b) {
        int byPriority = Integer.compare(torrent.priority(b), torrent.priority(a));
        if (byPriority != 0) {
            return byPriority;
        }
        int byPartial = Boolean.compare(torrent.partial(b), torrent.partial(a));
        if (byPartial != 0) {
            return byPartial;
        }
        return compareRest(torrent.tieBreakSeed(), availability[a], availability[b], a, b);
    }

    /** The availability, tie-break and index part of the order. */
    public static int compareRest(long seed, int availabilityA, int availabilityB, int a, int b) {
        int byAvailability = Integer.compare(availabilityA, availabilityB);
        if (byAvailability != 0) {
            return byAvailability;
        }
        int byTieBreak = Long.compare(tieBreak(seed, a), tieBreak(seed, b));
        return byTieBreak != 0 ? byTieBreak : Integer.compare(a, b);
    }
}
