package io.piecework.strategy.naive;

import io.piecework.api.strategy.PeerView;
import io.piecework.api.strategy.PieceOrder;
import io.piecework.api.strategy.Picker;
import io.piecework.api.strategy.TorrentView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;

/** Recomputes everything on each update; keeps no cache, so the engine's events are ignored. */
final class NaivePicker implements Picker {
    private final TorrentView torrent;

    NaivePicker(TorrentView torrent) {
        this.torrent = torrent;
    }

    @Override
    public void requestUpdate(PeerView peer, int reasons) {
        Lock lock = torrent.lock();
        lock.lock();
        try {
            fill(peer);
        } finally {
            lock.unlock();
        }
    }

    private void fill(PeerView peer) {
        int budget = peer.pipelineTarget() - peer.inFlight();
        if (budget <= 0 || peer.choking()) {
            return;
        }
        for (int piece : order(torrent)) {
            if (peer.has(piece)) {
                budget -= torrent.request(peer, piece, budget);
                if (budget <= 0) {
                    return;
                }
            }
        }
    }

    /** The wanted pieces in {@link PieceOrder}, computed from scratch. */
    static List<Integer> order(TorrentView torrent) {
        int[] availability = availability(torrent);
        List<Integer> wanted = new ArrayList<>();
        for (int piece = 0; piece < torrent.pieceCount(); piece++) {
            if (!torrent.have(piece) && torrent.priority(piece) > 0) {
                wanted.add(piece);
            }
        }
        wanted.sort((a, b) -> PieceOrder.compare(torrent, availability, a, b));
        return wanted;
    }

    static int[] availability(TorrentView torrent) {
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

    @Override
    public void close() {
        // Nothing cached, nothing to release.
    }
}
