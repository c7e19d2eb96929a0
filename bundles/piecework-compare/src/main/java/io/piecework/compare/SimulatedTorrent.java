package io.piecework.compare;

import io.piecework.api.strategy.PeerView;
import io.piecework.api.strategy.TorrentView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;

/**
 * An in-memory torrent behaving like the engine towards a strategy: blocks are counted per
 * piece (received, in flight), not named, and every change goes through a method here that
 * must be called with {@link #lock()} held, as the engine does. Telling the picker about a
 * change is the caller's job ({@link SwarmEvents} does it like the engine).
 *
 * <p>It checks what a strategy must never do: request without the lock, from a choking peer,
 * a piece the peer lacks, a piece we have or skip.
 */
public final class SimulatedTorrent implements TorrentView {
    private final CountingLock lock = new CountingLock();
    private final int pieceCount;
    private final int blocksPerPiece;
    private final long seed;
    private final BitSet have = new BitSet();
    private final BitSet complete = new BitSet();
    private final int[] priority;
    private final int[] inFlight;
    private final int[] received;
    private final List<SimulatedPeer> peers = new ArrayList<>();
    private final List<SimulatedPeer> peersView = Collections.unmodifiableList(peers);
    private long nextPeerId = 1;
    // Wanted pieces with a block neither received nor in flight; none left means endgame.
    private int open;
    private long requestCalls;
    private long blocksRequested;
    private List<String> recorded;
    private RequestListener listener;
    private int blocksInFlight;

    /** Told of each request that gave a peer blocks, under the torrent's lock. */
    public interface RequestListener {
        void requested(SimulatedPeer peer, int blocks);
    }

    public SimulatedTorrent(int pieceCount, int blocksPerPiece, long seed) {
        this.pieceCount = pieceCount;
        this.blocksPerPiece = blocksPerPiece;
        this.seed = seed;
        this.priority = new int[pieceCount];
        this.inFlight = new int[pieceCount];
        this.received = new int[pieceCount];
        Arrays.fill(priority, 1);
        open = pieceCount;
    }

    @Override
    public CountingLock lock() {
        return lock;
    }

    @Override
    public int pieceCount() {
        return pieceCount;
    }

    public int blocksPerPiece() {
        return blocksPerPiece;
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
        return !have.get(piece) && inFlight[piece] + received[piece] > 0;
    }

    @Override
    public boolean endgame() {
        return open == 0;
    }

    @Override
    public List<SimulatedPeer> peers() {
        return peersView;
    }

    @Override
    public long tieBreakSeed() {
        return seed;
    }

    @Override
    public int request(PeerView peer, int piece, int max) {
        checkLocked();
        SimulatedPeer p = (SimulatedPeer) peer;
        if (!p.connected) {
            throw new IllegalStateException("request to a peer that is gone: " + p);
        }
        if (p.choking || !p.has(piece) || have(piece) || priority[piece] <= 0 || max <= 0) {
            throw new IllegalStateException("bad request " + p + " piece " + piece + " max " + max);
        }
        requestCalls++;
        if (p.closeAfterRequests == 0) {
            p.closed = true;
        }
        if (p.closeAfterRequests >= 0) {
            p.closeAfterRequests--;
        }
        if (p.closed) {
            return 0;
        }
        int left = endgame()
                ? blocksPerPiece - received[piece] - p.inFlight(piece)
                : blocksPerPiece - received[piece] - inFlight[piece];
        int n = Math.max(0, Math.min(max, left));
        if (n > 0) {
            boolean was = isOpen(piece);
            inFlight[piece] += n;
            for (int i = 0; i < n; i++) {
                p.push(piece);
            }
            reopen(piece, was);
            blocksRequested += n;
            blocksInFlight += n;
            if (recorded != null) {
                recorded.add(p.id() + ":" + piece + "x" + n);
            }
            if (listener != null) {
                listener.requested(p, n);
            }
        }
        return n;
    }

    /** Sets the one listener told of requests (a simulated network sending them); null for none. */
    public void onRequest(RequestListener listener) {
        this.listener = listener;
    }

    /** Blocks in flight to all peers; racy without the lock, which is fine for sampling. */
    public int blocksInFlight() {
        return blocksInFlight;
    }

    /** Whether every block of {@code piece} arrived and it awaits hashing. */
    public boolean complete(int piece) {
        return complete.get(piece);
    }

    /** Calls to {@link #request} so far. */
    public long requestCalls() {
        return requestCalls;
    }

    /** Blocks requested so far. */
    public long blocksRequested() {
        return blocksRequested;
    }

    /** Starts recording each request as "peerId:piece x blocks"; returns the live record. */
    public List<String> recordRequests() {
        recorded = new ArrayList<>();
        return recorded;
    }

    /** A new connected peer holding {@code pieces}; tell the picker with peerPiecesReset. */
    public SimulatedPeer connect(BitSet pieces, int pipelineTarget) {
        checkLocked();
        SimulatedPeer p = new SimulatedPeer(nextPeerId++, pipelineTarget);
        p.pieces.or(pieces);
        p.connected = true;
        peers.add(p);
        return p;
    }

    /** The peer announces {@code piece}; false when it had it already. */
    public boolean announce(SimulatedPeer peer, int piece) {
        checkLocked();
        if (peer.pieces.get(piece)) {
            return false;
        }
        peer.pieces.set(piece);
        return true;
    }

    /** Replaces the peer's piece set (bitfield, have-all, have-none). */
    public void resetPieces(SimulatedPeer peer, BitSet pieces) {
        checkLocked();
        peer.pieces.clear();
        peer.pieces.or(pieces);
    }

    /**
     * The peer's connection closes as the engine's does, without the lock: from now on its
     * target is 0 and requests to it get 0 blocks. {@link #disconnect} follows under the lock.
     */
    public void close(SimulatedPeer peer) {
        peer.closed = true;
    }

    /** The peer's connection closes just before the request after the next {@code calls} ones. */
    public void closeAfterRequests(SimulatedPeer peer, int calls) {
        peer.closeAfterRequests = calls;
    }

    /** The peer disconnects; its blocks in flight are freed. */
    public void disconnect(SimulatedPeer peer) {
        checkLocked();
        peers.remove(peer);
        peer.connected = false;
        dropAll(peer);
    }

    /** Chokes or unchokes us; choking drops the requests in flight (no fast extension). */
    public void choke(SimulatedPeer peer, boolean choking) {
        checkLocked();
        peer.choking = choking;
        if (choking) {
            dropAll(peer);
        }
    }

    public void pipelineTarget(SimulatedPeer peer, int target) {
        checkLocked();
        peer.target = target;
    }

    /** The peer's oldest block in flight arrives; returns its piece or -1. */
    public int receive(SimulatedPeer peer) {
        return take(peer, true);
    }

    /** The peer's oldest block in flight is rejected or times out; returns its piece or -1. */
    public int drop(SimulatedPeer peer) {
        return take(peer, false);
    }

    private int take(SimulatedPeer peer, boolean arrived) {
        checkLocked();
        int piece = peer.poll();
        if (piece >= 0) {
            boolean was = isOpen(piece);
            inFlight[piece]--;
            blocksInFlight--;
            if (arrived && !have(piece) && received[piece] < blocksPerPiece) {
                received[piece]++;
                if (received[piece] == blocksPerPiece) {
                    complete.set(piece);
                }
            }
            reopen(piece, was);
        }
        return piece;
    }

    /** Drops every block in flight to the peer. */
    public void dropAll(SimulatedPeer peer) {
        while (drop(peer) >= 0) {
            // each drop frees one block
        }
    }

    /** A piece whose blocks are all received and awaits hashing, at or after {@code from}, or -1. */
    public int completePiece(int from) {
        int p = complete.nextSetBit(from);
        return p >= 0 ? p : complete.nextSetBit(0);
    }

    /** The complete piece passes its hash check. */
    public void verify(int piece) {
        checkLocked();
        checkComplete(piece);
        boolean was = isOpen(piece);
        complete.clear(piece);
        have.set(piece);
        reopen(piece, was);
    }

    /** The complete piece fails its hash check; its blocks are wanted again. */
    public void fail(int piece) {
        checkLocked();
        checkComplete(piece);
        boolean was = isOpen(piece);
        complete.clear(piece);
        received[piece] = 0;
        reopen(piece, was);
    }

    /** Marks a piece as had without downloading it (resume data). */
    public void markHave(int piece) {
        checkLocked();
        boolean was = isOpen(piece);
        complete.clear(piece);
        have.set(piece);
        reopen(piece, was);
    }

    public void priority(int piece, int value) {
        checkLocked();
        boolean was = isOpen(piece);
        priority[piece] = value;
        reopen(piece, was);
    }

    private boolean isOpen(int piece) {
        return !have.get(piece) && priority[piece] > 0
                && inFlight[piece] + received[piece] < blocksPerPiece;
    }

    private void reopen(int piece, boolean was) {
        boolean now = isOpen(piece);
        if (now != was) {
            open += now ? 1 : -1;
        }
    }

    private void checkComplete(int piece) {
        if (!complete.get(piece)) {
            throw new IllegalStateException("piece " + piece + " is not complete");
        }
    }

    private void checkLocked() {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("torrent changed or requested without its lock");
        }
    }
}
