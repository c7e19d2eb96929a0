package io.piecework.compare;

import io.piecework.api.strategy.PeerView;
import io.piecework.api.strategy.PieceOrder;
import io.piecework.api.strategy.TorrentView;
import java.util.Arrays;

/** The wanted pieces in {@link PieceOrder}, recomputed from the view: the oracle for caches. */
public final class ReferenceOrder {
    private ReferenceOrder() {
    }

    /** Call with the torrent's lock held. */
    public static int[] compute(TorrentView torrent) {
        int[] availability = availability(torrent);
        Integer[] wanted = new Integer[torrent.pieceCount()];
        int n = 0;
        for (int piece = 0; piece < torrent.pieceCount(); piece++) {
            if (!torrent.have(piece) && torrent.priority(piece) > 0) {
                wanted[n++] = piece;
            }
        }
        Arrays.sort(wanted, 0, n, (a, b) -> PieceOrder.compare(torrent, availability, a, b));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = wanted[i];
        }
        return order;
    }

    /** How many connected peers have each piece. */
    public static int[] availability(TorrentView torrent) {
        int[] counts = new int[torrent.pieceCount()];
        for (PeerView p : torrent.peers()) {
            for (int piece = 0; piece < counts.length; piece++) {
                if (p.has(piece)) {
                    counts[piece]++;
                }
            }
        }
        return counts;
    }
}
