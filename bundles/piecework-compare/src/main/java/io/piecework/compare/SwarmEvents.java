package io.piecework.compare;

import io.piecework.api.strategy.Picker;
import io.piecework.api.strategy.UpdateReason;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.Lock;

/**
 * Drives a {@link SimulatedTorrent} with a seeded random sequence of swarm events and tells a
 * {@link Picker} about each one the way the engine does: the event method with the torrent's
 * lock held right after the change, then request updates without the lock.
 */
public final class SwarmEvents {
    /** What {@link #next} did. */
    public enum Kind { CONNECT, HAVE, PIECES_RESET, GONE, RECEIVE, DROP, VERIFY, FAIL, PRIORITY, CHOKE, UNCHOKE }

    private static final Kind[] KINDS = Kind.values();
    // Relative weights: mostly blocks arriving, as in a running download.
    private static final int[] WEIGHTS = {3, 12, 2, 2, 40, 6, 6, 1, 1, 2, 3};

    private final SimulatedTorrent torrent;
    private final Random random;
    private final int maxPeers;
    private final int totalWeight;

    public SwarmEvents(SimulatedTorrent torrent, long seed, int maxPeers) {
        this.torrent = torrent;
        this.random = new Random(seed);
        this.maxPeers = maxPeers;
        int sum = 0;
        for (int w : WEIGHTS) {
            sum += w;
        }
        this.totalWeight = sum;
    }

    /** A random piece set: sometimes none or all, else each piece with a random density. */
    public BitSet randomPieces() {
        return randomPieces(random, torrent.pieceCount());
    }

    public static BitSet randomPieces(Random random, int pieceCount) {
        BitSet pieces = new BitSet(pieceCount);
        int shape = random.nextInt(10);
        if (shape == 0) {
            return pieces;
        }
        if (shape == 1) {
            pieces.set(0, pieceCount);
            return pieces;
        }
        double density = random.nextDouble();
        for (int i = 0; i < pieceCount; i++) {
            if (random.nextDouble() < density) {
                pieces.set(i);
            }
        }
        return pieces;
    }

    /** Applies one random event, tells {@code picker}, and returns what it was. */
    public Kind next(Picker picker) {
        Kind kind = pick();
        Lock lock = torrent.lock();
        SimulatedPeer updated = null;
        int reasons = 0;
        lock.lock();
        try {
            List<SimulatedPeer> peers = torrent.peers();
            if (peers.isEmpty() && kind != Kind.PRIORITY) {
                kind = Kind.CONNECT;
            }
            SimulatedPeer peer = peers.isEmpty() ? null : peers.get(random.nextInt(peers.size()));
            switch (kind) {
                case CONNECT -> {
                    if (peers.size() >= maxPeers) {
                        torrent.disconnect(peer);
                        picker.peerGone(peer);
                    }
                    updated = torrent.connect(randomPieces(), 1 + random.nextInt(32));
                    picker.peerPiecesReset(updated);
                    reasons = UpdateReason.PIECES_RESET;
                }
                case HAVE -> {
                    int piece = random.nextInt(torrent.pieceCount());
                    if (torrent.announce(peer, piece)) {
                        picker.peerHas(peer, piece);
                        updated = peer;
                        reasons = UpdateReason.HAVE;
                    }
                }
                case PIECES_RESET -> {
                    torrent.resetPieces(peer, randomPieces());
                    picker.peerPiecesReset(peer);
                    updated = peer;
                    reasons = UpdateReason.PIECES_RESET;
                }
                case GONE -> {
                    torrent.disconnect(peer);
                    picker.peerGone(peer);
                }
                case RECEIVE -> {
                    if (torrent.receive(peer) >= 0) {
                        updated = peer;
                        reasons = UpdateReason.BLOCK_RECEIVED | dry(peer);
                    }
                }
                case DROP -> {
                    if (torrent.drop(peer) >= 0) {
                        updated = peer;
                        reasons = (random.nextBoolean() ? UpdateReason.REJECTED : UpdateReason.TIMED_OUT) | dry(peer);
                    }
                }
                case VERIFY, FAIL -> {
                    int piece = torrent.completePiece(random.nextInt(torrent.pieceCount()));
                    if (piece >= 0) {
                        if (kind == Kind.VERIFY) {
                            torrent.verify(piece);
                            picker.pieceVerified(piece);
                        } else {
                            torrent.fail(piece);
                            picker.pieceFailed(piece);
                            updated = peer;
                            reasons = UpdateReason.PIECE_FAILED;
                        }
                    }
                }
                case PRIORITY -> {
                    int changes = 1 + random.nextInt(Math.max(1, torrent.pieceCount() / 8));
                    for (int i = 0; i < changes; i++) {
                        torrent.priority(random.nextInt(torrent.pieceCount()), random.nextInt(4));
                    }
                    picker.prioritiesChanged();
                    updated = peer;
                    reasons = UpdateReason.PRIORITY;
                }
                case CHOKE -> torrent.choke(peer, true);
                case UNCHOKE -> {
                    torrent.choke(peer, false);
                    updated = peer;
                    reasons = UpdateReason.UNCHOKED;
                }
                default -> throw new AssertionError(kind);
            }
        } finally {
            lock.unlock();
        }
        if (updated != null) {
            picker.requestUpdate(updated, reasons);
        }
        return kind;
    }

    private static int dry(SimulatedPeer peer) {
        return peer.inFlight() == 0 ? UpdateReason.PIPELINE_DRY : 0;
    }

    private Kind pick() {
        int r = random.nextInt(totalWeight);
        for (int i = 0; i < WEIGHTS.length; i++) {
            r -= WEIGHTS[i];
            if (r < 0) {
                return KINDS[i];
            }
        }
        throw new AssertionError();
    }
}
