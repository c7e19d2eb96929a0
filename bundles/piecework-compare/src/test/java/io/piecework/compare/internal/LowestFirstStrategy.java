package io.piecework.compare.internal;

import io.piecework.api.strategy.PeerView;
import io.piecework.api.strategy.Picker;
import io.piecework.api.strategy.RequestStrategy;
import io.piecework.api.strategy.TorrentView;

/**
 * A real, deliberately simple strategy for the comparison's own tests (the shipped ones
 * depend on this bundle's simulation in their tests): lowest wanted piece first.
 */
final class LowestFirstStrategy implements RequestStrategy {
    @Override
    public Picker open(TorrentView torrent) {
        return new Picker() {
            @Override
            public void requestUpdate(PeerView peer, int reasons) {
                torrent.lock().lock();
                try {
                    int budget = peer.pipelineTarget() - peer.inFlight();
                    for (int p = 0; p < torrent.pieceCount() && budget > 0 && !peer.choking(); p++) {
                        if (!torrent.have(p) && torrent.priority(p) > 0 && peer.has(p)) {
                            budget -= torrent.request(peer, p, budget);
                        }
                    }
                } finally {
                    torrent.lock().unlock();
                }
            }

            @Override
            public void close() {
            }
        };
    }
}
