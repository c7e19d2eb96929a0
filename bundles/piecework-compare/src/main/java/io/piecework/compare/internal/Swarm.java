package io.piecework.compare.internal;

import io.piecework.api.strategy.RequestStrategy;
import io.piecework.api.strategy.UpdateReason;
import io.piecework.compare.CountingLock;
import io.piecework.compare.DurationHistogram;
import io.piecework.compare.SimulatedPeer;
import io.piecework.compare.SimulatedTorrent;
import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * The torrents of a {@link Scenario} with one strategy's pickers, and the workers driving
 * them. Peer slots are spread over the workers round-robin, so the peers of one torrent are
 * served by different threads and contend for its lock, as with event loops.
 */
final class Swarm implements AutoCloseable {
    static final int ACTIVE = 0;
    static final int IDLE = 1;
    static final int STOP = 2;

    private final Scenario scenario;
    private final TorrentSim[] torrents;
    private final Worker[] workers;
    private final Thread[] threads;
    private volatile int phase = ACTIVE;
    // Bumped once a new phase is in place in every torrent: the workers then redraw.
    private volatile int redraws;

    /** Builds the swarm and fills every pipeline once; {@link #start} sets it going. */
    Swarm(Scenario scenario, RequestStrategy strategy, boolean virtual) {
        this(scenario, strategy, virtual, t -> { });
    }

    /** {@code created} sees each torrent before any request (to record them). */
    Swarm(Scenario scenario, RequestStrategy strategy, boolean virtual, Consumer<TorrentSim> created) {
        this.scenario = scenario;
        SplittableRandom random = new SplittableRandom(scenario.seed());
        int n = scenario.threads();
        int perWorker = (scenario.torrents() * scenario.peers() + n - 1) / n;
        workers = new Worker[n];
        threads = new Thread[n];
        for (int i = 0; i < n; i++) {
            workers[i] = new Worker(this, random.nextLong(), perWorker, virtual);
        }
        torrents = new TorrentSim[scenario.torrents()];
        BitSet scratch = new BitSet(scenario.pieces());
        int next = 0;
        for (int t = 0; t < torrents.length; t++) {
            TorrentSim ts = new TorrentSim(scenario, random.nextLong(), strategy);
            torrents[t] = ts;
            created.accept(ts);
            CountingLock lock = ts.torrent.lock();
            lock.lock();
            try {
                for (int i = 0; i < ts.slots.length; i++) {
                    Slot s = new Slot(ts, workers[next++ % n]);
                    ts.slots[i] = s;
                    ts.connect(s, random, scratch);
                    s.worker.adopt(s);
                }
            } finally {
                lock.unlock();
            }
        }
        for (TorrentSim ts : torrents) {
            for (Slot s : ts.slots) {
                ts.picker.requestUpdate(s.peer, UpdateReason.UNCHOKED | UpdateReason.PIPELINE_DRY);
            }
        }
    }

    int phase() {
        return phase;
    }

    int redraws() {
        return redraws;
    }

    Worker[] workers() {
        return workers;
    }

    TorrentSim[] torrents() {
        return torrents;
    }

    void start(String namePrefix) {
        for (int i = 0; i < workers.length; i++) {
            threads[i] = new Thread(workers[i], namePrefix + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    /**
     * Makes every torrent idle: peers stay connected but there is nothing to request. Even
     * torrents complete (every piece verified), odd ones are choked by all their peers. From
     * now on peers only send a have now and then.
     */
    void goIdle() {
        phase = IDLE;
        for (int t = 0; t < torrents.length; t++) {
            TorrentSim ts = torrents[t];
            SimulatedTorrent torrent = ts.torrent;
            CountingLock lock = torrent.lock();
            lock.lock();
            try {
                if (t % 2 == 0) {
                    for (Slot s : ts.slots) {
                        torrent.dropAll(s.peer);
                    }
                    for (int piece = 0; piece < torrent.pieceCount(); piece++) {
                        if (!torrent.have(piece)) {
                            torrent.markHave(piece);
                            ts.picker.pieceVerified(piece);
                        }
                    }
                } else {
                    for (Slot s : ts.slots) {
                        torrent.choke(s.peer, true);
                    }
                }
            } finally {
                lock.unlock();
            }
        }
        redraws++;
        for (Worker w : workers) {
            w.unpark();
        }
    }

    /** Blocks requested from every peer so far. */
    long blocksRequested() {
        return sumLocked(ts -> ts.torrent.blocksRequested());
    }

    /** Blocks in flight now, read without the locks (a sample). */
    long blocksInFlight() {
        return Arrays.stream(torrents).mapToLong(ts -> ts.torrent.blocksInFlight()).sum();
    }

    /** Starts a lock measurement: clears every torrent's lock times; returns acquisitions so far. */
    long resetLocks() {
        return sumLocked(ts -> {
            ts.torrent.lock().resetTimes();
            return ts.torrent.lock().acquisitions();
        });
    }

    /** Adds every torrent's lock waits and holds to the two histograms; returns acquisitions so far. */
    long collectLocks(DurationHistogram waits, DurationHistogram holds) {
        return sumLocked(ts -> {
            waits.add(ts.torrent.lock().waits());
            holds.add(ts.torrent.lock().holds());
            return ts.torrent.lock().acquisitions();
        });
    }

    /** Sums {@code f} over the torrents, each read under its lock. */
    private long sumLocked(ToLongFunction<TorrentSim> f) {
        long n = 0;
        for (TorrentSim ts : torrents) {
            CountingLock lock = ts.torrent.lock();
            lock.lock();
            try {
                n += f.applyAsLong(ts);
            } finally {
                lock.unlock();
            }
        }
        return n;
    }

    /** Request updates the workers made so far. */
    long updates() {
        return Arrays.stream(workers).mapToLong(w -> w.updates.get()).sum();
    }

    long blocksDelivered() {
        return Arrays.stream(workers).mapToLong(w -> w.blocks.get()).sum();
    }

    /** Stops the workers, then closes every picker and lets go of it. */
    @Override
    public void close() throws InterruptedException {
        phase = STOP;
        for (int i = 0; i < workers.length; i++) {
            workers[i].unpark();
            if (threads[i] != null) {
                threads[i].join();
            }
        }
        for (TorrentSim ts : torrents) {
            if (ts.picker != null) {
                ts.picker.close();
                ts.picker = null;
            }
        }
    }

    /** A peer of torrent {@code t}, slot {@code i} (tests). */
    SimulatedPeer peer(int t, int i) {
        return torrents[t].slots[i].peer;
    }

    Scenario scenario() {
        return scenario;
    }
}
