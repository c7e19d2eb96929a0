package io.piecework.compare.internal;

import io.piecework.api.strategy.Picker;
import io.piecework.api.strategy.RequestStrategy;
import io.piecework.compare.SimulatedPeer;
import io.piecework.compare.SimulatedTorrent;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * A simulated torrent with its picker and its peer slots. Requests the strategy makes are
 * "sent": a peer that had nothing in flight is handed to its worker, which delivers the blocks
 * at the peer's rate.
 */
final class TorrentSim implements SimulatedTorrent.RequestListener {
    final SimulatedTorrent torrent;
    final Slot[] slots;
    // Set to null once closed, so the strategy's caches can be collected.
    Picker picker;

    private final double rateScale;

    TorrentSim(Scenario scenario, long seed, RequestStrategy strategy) {
        rateScale = scenario.rateScale();
        torrent = new SimulatedTorrent(scenario.pieces(), scenario.blocksPerPiece(), seed);
        torrent.onRequest(this);
        slots = new Slot[scenario.peers()];
        picker = strategy.open(torrent);
    }

    @Override
    public void requested(SimulatedPeer peer, int blocks) {
        if (peer.attachment() instanceof Slot s && !s.armed) {
            s.armed = true;
            s.worker.wake(s);
        }
    }

    /**
     * Connects a new peer in {@code s} with a random rate and piece set and tells the picker.
     * Call with the torrent's lock held; {@code scratch} is reused for the piece set.
     */
    void connect(Slot s, SplittableRandom random, BitSet scratch) {
        double rate = rateScale * Scenario.MIN_RATE * Math.pow(Scenario.MAX_RATE / Scenario.MIN_RATE, random.nextDouble());
        s.interval = (long) (1e9 / rate);
        int target = (int) Math.max(2, Math.min(32, Math.round(rate * Scenario.PIPELINE_SECONDS)));
        // Seeds and partial peers: each holds 20 to 100 % of the pieces.
        double density = 0.2 + 0.8 * random.nextDouble();
        scratch.clear();
        for (int i = 0; i < torrent.pieceCount(); i++) {
            if (random.nextDouble() < density) {
                scratch.set(i);
            }
        }
        SimulatedPeer p = torrent.connect(scratch, target);
        p.attach(s);
        s.peer = p;
        picker.peerPiecesReset(p);
    }
}
