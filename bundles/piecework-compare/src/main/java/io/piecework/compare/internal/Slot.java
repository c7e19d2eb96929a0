package io.piecework.compare.internal;

import io.piecework.compare.SimulatedPeer;

/**
 * One peer position of a simulated torrent: the connected peer (replaced on reconnection),
 * its rate and its schedule on the worker that owns it, as a connection belongs to one event
 * loop.
 */
final class Slot {
    static final long NEVER = Long.MAX_VALUE;

    final TorrentSim torrent;
    final Worker worker;
    // Guarded by the torrent's lock.
    SimulatedPeer peer;
    /** A delivery is queued or scheduled: the peer has blocks in flight, or had. */
    boolean armed;
    // Owned by the worker.
    long interval;
    long deliveryDue = NEVER;
    long eventDue = NEVER;
    int heapIndex = -1;

    Slot(TorrentSim torrent, Worker worker) {
        this.torrent = torrent;
        this.worker = worker;
    }

    long key() {
        return Math.min(deliveryDue, eventDue);
    }
}
