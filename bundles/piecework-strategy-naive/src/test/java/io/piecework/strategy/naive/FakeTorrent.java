package io.piecework.strategy.naive;

import io.piecework.api.strategy.PeerView;
import io.piecework.api.strategy.TorrentView;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/** An in-memory torrent with a fixed number of blocks per piece, recording every request. */
final class FakeTorrent implements TorrentView {
    final ReentrantLock lock = new ReentrantLock();
    final int pieces;
    final int blocksPerPiece;
    final BitSet have = new BitSet();
    final int[] priority;
    final int[] requestedBlocks;
    final List<FakePeer> peers = new ArrayList<>();
    final List<String> log = new ArrayList<>();

    FakeTorrent(int pieces, int blocksPerPiece) {
        this.pieces = pieces;
        this.blocksPerPiece = blocksPerPiece;
        this.priority = new int[pieces];
        this.requestedBlocks = new int[pieces];
        java.util.Arrays.fill(priority, 1);
    }

    FakePeer peer(int... held) {
        FakePeer p = new FakePeer(peers.size());
        for (int h : held) {
            p.pieces.set(h);
        }
        peers.add(p);
        return p;
    }

    @Override
    public ReentrantLock lock() {
        return lock;
    }

    @Override
    public int pieceCount() {
        return pieces;
    }

    @Override
    public boolean have(int piece) {
        return have.get(piece);
    }

    @Override
    public int priority(int piece) {
        return priority[piece];
    }

    @Override
    public boolean partial(int piece) {
        return requestedBlocks[piece] > 0 && !have.get(piece);
    }

    @Override
    public boolean endgame() {
        return false;
    }

    @Override
    public List<? extends PeerView> peers() {
        return peers;
    }

    @Override
    public long tieBreakSeed() {
        return 7;
    }

    @Override
    public int request(PeerView peer, int piece, int max) {
        if (!lock.isHeldByCurrentThread()) {
            throw new AssertionError("request without the torrent lock");
        }
        int n = Math.min(max, blocksPerPiece - requestedBlocks[piece]);
        requestedBlocks[piece] += n;
        ((FakePeer) peer).inFlight += n;
        for (int i = 0; i < n; i++) {
            log.add(peer.id() + ":" + piece);
        }
        return n;
    }

    static final class FakePeer implements PeerView {
        final long id;
        final BitSet pieces = new BitSet();
        boolean choking;
        int inFlight;
        int target = 4;

        FakePeer(long id) {
            this.id = id;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public boolean has(int piece) {
            return pieces.get(piece);
        }

        @Override
        public int piecesHeld() {
            return pieces.cardinality();
        }

        @Override
        public boolean choking() {
            return choking;
        }

        @Override
        public int inFlight() {
            return inFlight;
        }

        @Override
        public int pipelineTarget() {
            return target;
        }
    }
}
