package io.piecework.compare;

import io.piecework.api.strategy.PeerView;
import java.util.BitSet;

/**
 * A simulated peer: its piece set, choke state, pipeline target and the blocks in flight to it
 * (as the pieces they belong to, oldest first). Change it only through {@link SimulatedTorrent},
 * which keeps the torrent's counts in step, and only while holding the torrent's lock.
 */
public final class SimulatedPeer implements PeerView {
    private final long id;
    final BitSet pieces = new BitSet();
    boolean choking;
    int target;
    // Set without the lock, as the engine's connection close does; -1 when no close is planned.
    volatile boolean closed;
    int closeAfterRequests = -1;
    // In the torrent's peer list (O(1) check on every request).
    boolean connected;
    // Ring buffer of the piece of each block in flight, oldest at head.
    private int[] flight = new int[16];
    private int head;
    private int size;
    // The harness's own state for this peer (its delivery schedule), if any.
    private Object attachment;

    SimulatedPeer(long id, int target) {
        this.id = id;
        this.target = target;
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
        return size;
    }

    /** Like the engine's: 0 once the connection closed, so nothing more is asked of it. */
    @Override
    public int pipelineTarget() {
        return closed ? 0 : target;
    }

    /** Whether the connection closed (it may still be in the peer list until disconnected). */
    public boolean closed() {
        return closed;
    }

    /** Attaches a harness's state to this peer. */
    public void attach(Object value) {
        attachment = value;
    }

    public Object attachment() {
        return attachment;
    }

    /** A copy of the peer's pieces. */
    public BitSet pieces() {
        return (BitSet) pieces.clone();
    }

    /** How many of the blocks in flight to this peer belong to {@code piece}. */
    int inFlight(int piece) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (flight[(head + i) % flight.length] == piece) {
                n++;
            }
        }
        return n;
    }

    void push(int piece) {
        if (size == flight.length) {
            int[] bigger = new int[flight.length * 2];
            for (int i = 0; i < size; i++) {
                bigger[i] = flight[(head + i) % flight.length];
            }
            flight = bigger;
            head = 0;
        }
        flight[(head + size) % flight.length] = piece;
        size++;
    }

    /** Removes and returns the piece of the oldest block in flight; -1 when none. */
    int poll() {
        if (size == 0) {
            return -1;
        }
        int piece = flight[head];
        head = (head + 1) % flight.length;
        size--;
        return piece;
    }

    @Override
    public String toString() {
        return "peer " + id;
    }
}
