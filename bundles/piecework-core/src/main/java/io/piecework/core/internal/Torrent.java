package io.piecework.core.internal;

import io.piecework.api.engine.Priority;
import io.piecework.api.engine.TorrentEvent;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.storage.TorrentStorage;
import io.piecework.api.strategy.Picker;
import io.piecework.api.strategy.RequestStrategy;
import io.piecework.api.strategy.UpdateReason;
import io.piecework.transport.PeerConnection;
import io.piecework.transport.PeerHandler;
import io.piecework.transport.TorrentPeers;
import io.piecework.transport.TorrentRegistration;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One torrent: its lifecycle (start, check, stop, pause, remove), the timer, and the handle the
 * engine's users hold. The flow of blocks is {@link BlockPath}'s, the peers are {@link Swarm}'s.
 * All mutable state is guarded by the torrent's own {@link #lock} (no engine-wide lock); disk
 * writes, reads and hashing run on the engine's pools outside it; statistics are published as an
 * immutable snapshot.
 */
final class Torrent implements OrderedHandle, DetailedHandle, TorrentPeers {
    private static final Logger LOG = LoggerFactory.getLogger(Torrent.class);
    static final long SNUB_NANOS = TimeUnit.SECONDS.toNanos(30);
    static final long REQUEST_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);
    /** As many as we let a peer queue (the reqq we announce), so a full pipeline is never refused. */
    static final int MAX_QUEUED_UPLOADS = PeerSession.MAX_PIPELINE;

    final Engine engine;
    final TorrentMetainfo metainfo;
    final Path downloadDir;
    final InstrumentedLock lock;
    final RateMeter downloaded = new RateMeter();
    final RateMeter uploaded = new RateMeter();
    final LongAdder requestUpdates = new LongAdder();
    /** ut_pex messages dropped for coming sooner than BEP 11 allows. */
    final LongAdder pexIgnored = new LongAdder();
    /** Peers disconnected to make room for another, or for giving nothing. */
    final LongAdder evicted = new LongAdder();
    /** The info dictionary, served to peers over ut_metadata (BEP 9). */
    final byte[] info;
    final Connector connector;
    final Uploads uploads;
    final BlockPath blocks;
    final Swarm swarm;
    final PeerExchange pex;
    final BlockBlame blame; // BEP 52: answers hash requests, pins a failed piece on its bad block
    private final Priorities priorities;
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private final Object publishing = new Object();

    /** Woken by whatever a quiet torrent's timer must see within a second. */
    final TorrentTimer timer;

    // Guarded by lock.
    private TorrentRegistration registration;
    private Discovery.Binding discovery;
    /** completed() ran: a binding set after it still owes its sources the completed announce. */
    private boolean completeSeen;
    /** Set while a magnet link hands its connections and announcements to this torrent. */
    private MagnetTorrent handingOver;
    /** The last storage open, done once {@link #opened} has run: remove() and Recheck wait for it. */
    CompletableFuture<?> opening;

    // Written under lock, read anywhere.
    volatile Picker picker;
    volatile TorrentStorage storage;
    volatile TorrentState state = TorrentState.STOPPED;
    private volatile String error;
    private volatile TorrentStats snapshot;

    Torrent(Engine engine, TorrentMetainfo metainfo, Path downloadDir) {
        this.engine = engine;
        this.metainfo = metainfo;
        this.downloadDir = downloadDir;
        this.lock = new InstrumentedLock(engine.disk()); // the disk pool drains what a holder leaves
        this.info = metainfo.infoBytes();
        this.blocks = new BlockPath(this);
        this.swarm = new Swarm(this);
        this.pex = new PeerExchange(this);
        this.priorities = new Priorities(this);
        this.connector = new Connector(engine, metainfo.infoHash(), this,
                () -> engine.settings().maxPeersPerTorrent() - swarm.peerCount());
        this.uploads = new Uploads(this);
        this.blame = new BlockBlame(this);
        this.timer = new TorrentTimer(this);
        publish();
    }

    // --- lifecycle ---

    @Override
    public void start() {
        lock.lock();
        try {
            if (state == TorrentState.PAUSED) {
                state = blocks.tracker.complete() ? TorrentState.SEEDING : TorrentState.DOWNLOADING;
                timer.wake();
                engine.emit(event(TorrentEvent.Kind.STATE_CHANGED, -1, ""));
                updateAllLater(UpdateReason.UNCHOKED);
                return;
            }
            if (state != TorrentState.STOPPED && state != TorrentState.ERROR) {
                return;
            }
            state = TorrentState.CHECKING;
            error = null;
        } finally {
            lock.unlock();
        }
        publish();
        engine.emit(event(TorrentEvent.Kind.STATE_CHANGED, -1, ""));
        CompletableFuture<?> open = engine.openStorage(metainfo, downloadDir).whenComplete(this::opened);
        lock.lock();
        try {
            opening = open;
        } finally {
            lock.unlock();
        }
    }

    private void opened(TorrentStorage opened, Throwable failure) {
        boolean complete;
        MagnetTorrent magnet;
        lock.lock();
        try {
            magnet = handingOver;
            handingOver = null;
        } finally {
            lock.unlock();
        }
        // The magnet link's registration must go before ours; its connections come over below.
        // Taken on failure too, or the magnet would keep the info-hash registered for good.
        MagnetTorrent.Handover handover = magnet == null ? MagnetTorrent.Handover.NONE : magnet.handOver();
        if (failure != null) {
            handover.closeAll(engine, "torrent error");
            fail("cannot open storage: " + Engine.message(failure));
            return;
        }
        lock.lock();
        try {
            if (state != TorrentState.CHECKING) {
                opened.close();
                handover.closeAll(engine, "torrent stopped");
                return;
            }
            storage = opened;
            blocks.onDisk(opened.completed());
            picker = engine.openPicker(blocks);
            complete = blocks.tracker.complete();
            state = complete ? TorrentState.SEEDING : TorrentState.DOWNLOADING;
            registration = HybridSwarms.register(engine, metainfo, this);
            engine.startTicking(timer);
        } finally {
            lock.unlock();
        }
        LOG.info("{}: {} of {} pieces on disk, {}", metainfo.name(), blocks.tracker.verifiedCount(),
                metainfo.pieceCount(), complete ? "seeding" : "downloading");
        publish();
        engine.emit(event(TorrentEvent.Kind.STATE_CHANGED, -1, ""));
        for (InetSocketAddress known : handover.known()) {
            connector.add(known);
        }
        handover.adoptInto(this);
        Discovery.Binding binding = HybridSwarms.bind(this, handover.discovery()); // and a hybrid's v2 swarm
        boolean stopped;
        boolean owesCompleted;
        lock.lock();
        try {
            stopped = state == TorrentState.STOPPED || state == TorrentState.ERROR;
            // Adopted magnet peers may have finished it already, before there was a binding.
            owesCompleted = !stopped && completeSeen;
            if (!stopped) {
                discovery = binding;
            }
        } finally {
            lock.unlock();
        }
        if (stopped) {
            binding.close();
        } else if (owesCompleted) {
            binding.completed();
        }
        if (complete) {
            completed();
        }
        connector.start();
        engine.connectionSources().attach(this); // web seeds: none once stopped meanwhile
    }

    /** Before {@link #start()}: a magnet link's connections and announcements become ours once open. */
    void takeOverFrom(MagnetTorrent magnet) {
        lock.lock();
        try {
            handingOver = magnet;
        } finally {
            lock.unlock();
        }
    }

    /** Peers from a source (tracker, DHT); the connector drops duplicates and backs off. */
    void found(List<InetSocketAddress> found, String source) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: {} peer(s) from {}", metainfo.name(), found.size(), source);
        }
        for (InetSocketAddress peer : found) {
            connector.add(peer);
        }
        timer.wake(); // the connector dials on the timer
    }

    @Override
    public void stop() {
        shutDown(TorrentState.STOPPED, null);
    }

    /** Stops with an error: requesting ends, peers go, verified pieces stay verified. */
    void fail(String why) {
        shutDown(TorrentState.ERROR, why);
    }

    private void shutDown(TorrentState target, String why) {
        List<PeerSession> closing;
        Picker oldPicker;
        TorrentStorage oldStorage;
        Discovery.Binding oldDiscovery;
        lock.lock();
        try {
            if (state == TorrentState.STOPPED || (state == TorrentState.ERROR && target == TorrentState.ERROR)) {
                return;
            }
            state = target;
            error = why;
            closing = new ArrayList<>(swarm.peers);
            oldPicker = picker;
            picker = null;
            oldStorage = storage;
            storage = null;
            oldDiscovery = discovery;
            discovery = null;
            if (registration != null) {
                registration.close();
                registration = null;
            }
            engine.stopTicking(timer);
        } finally {
            lock.unlock();
        }
        if (target == TorrentState.ERROR) {
            // Once: every block in flight fails the same way after it; ERROR carries the reason (get prints it).
            LOG.info("{}: {}", metainfo.name(), why);
        }
        blocks.held.dropAll(); // blocks of unfinished pieces back to the pool
        blocks.writes.flush(); // queued ones to the disk, or back to the pool once it is closed
        connector.stop();
        engine.connectionSources().detach(this);
        if (oldDiscovery != null) {
            oldDiscovery.close();
        }
        for (PeerSession p : closing) {
            p.connection.close(why == null ? "torrent stopped" : "torrent error");
        }
        if (oldPicker != null) {
            oldPicker.close();
        }
        if (oldStorage != null) {
            oldStorage.close();
        }
        publish();
        engine.emit(event(target == TorrentState.ERROR ? TorrentEvent.Kind.ERROR : TorrentEvent.Kind.STATE_CHANGED,
                -1, why == null ? "" : why));
    }

    @Override
    public void pause() {
        lock.lock();
        try {
            if (state != TorrentState.DOWNLOADING && state != TorrentState.SEEDING) {
                return;
            }
            state = TorrentState.PAUSED;
            swarm.chokeAll();
        } finally {
            lock.unlock();
        }
        publish();
        engine.emit(event(TorrentEvent.Kind.STATE_CHANGED, -1, ""));
    }

    @Override
    public CompletableFuture<Void> remove(boolean deleteData) {
        return Removal.run(this, deleteData);
    }

    @Override
    public CompletableFuture<Void> verify() {
        return Recheck.run(this);
    }

    @Override
    public void connect(InetSocketAddress peer) {
        connector.add(peer);
        timer.wake();
    }

    // --- priorities and rate limits ---

    @Override
    public void filePriority(int fileIndex, Priority priority) {
        priorities.file(fileIndex, priority);
    }

    @Override
    public void piecePriority(int piece, Priority priority) {
        priorities.piece(piece, priority);
    }

    @Override
    public Priorities priorities() {
        return priorities;
    }

    @Override
    public TorrentRates rates() {
        return engine.rates();
    }

    // --- the strategy ---

    /** Replaces the picker (strategy swap); the new one rebuilds its caches from the view. */
    void usePicker(RequestStrategy strategy) {
        Picker old;
        lock.lock();
        try {
            if (storage == null) {
                return;
            }
            old = picker;
            picker = strategy == null ? null : strategy.open(blocks);
        } finally {
            lock.unlock();
        }
        if (old != null) {
            old.close();
        }
        updateAllLater(UpdateReason.STRATEGY_SWAPPED);
    }

    void requestUpdate(PeerSession peer, int reasons) {
        Picker current = picker;
        if (current == null || state != TorrentState.DOWNLOADING || peer.closed || peer.peerChoking
                || !peer.amInterested) {
            return;
        }
        requestUpdates.increment();
        lock.submit(() -> blocks.update(peer, reasons)); // never waits: the lock's holder may run it
    }

    void updateAllLater(int reasons) {
        List<PeerSession> all;
        lock.lock();
        try {
            all = new ArrayList<>(swarm.peers);
        } finally {
            lock.unlock();
        }
        for (PeerSession p : all) {
            requestUpdate(p, PeerSession.dryOr(reasons, p));
        }
    }

    // --- TorrentPeers: the transport hands us connections ---

    @Override
    public PeerHandler connected(PeerConnection connection) {
        return swarm.connected(connection, false);
    }

    /** Every wanted piece is verified: tell the peer sources, the waiters, and part from seeds. */
    void completed() {
        LOG.info("{}: complete", metainfo.name());
        publish();
        // Handed to the lock's holder if taken: completion comes from the block path's threads.
        lock.submit(() -> {
            Discovery.Binding binding = discovery;
            completeSeen = true;
            List<PeerSession> seeds = swarm.peers.stream().filter(p -> p.seed).toList(); // O(peers)
            return () -> {
                if (binding != null) {
                    binding.completed();
                }
                seeds.forEach(p -> p.connection.close("both sides are seeds"));
            };
        });
        completion.complete(null);
        engine.emit(event(TorrentEvent.Kind.COMPLETED, -1, ""));
        engine.emit(event(TorrentEvent.Kind.STATE_CHANGED, -1, ""));
    }

    /** Wanted bytes not yet verified, for announces. */
    long left() {
        return Math.max(0, blocks.wantedBytes() - blocks.verifiedBytes());
    }

    /** The torrent's announcements, null while stopped. */
    Discovery.Binding discovery() {
        lock.lock();
        try {
            return discovery;
        } finally {
            lock.unlock();
        }
    }

    /** Lock-free: whether we have a verified piece, for the upload path. */
    boolean hasVerified(int piece) {
        return blocks.hasVerified(piece);
    }

    @Override
    public int pieceCount() {
        return metainfo.pieceCount();
    }

    @Override
    public boolean v2() {
        return metainfo.version().hasV2(); // on a hybrid's v1 dial: "upgrade me" (BEP 52), see HandshakeHandler
    }

    TorrentStorage storage() {
        return storage;
    }

    TorrentState state() {
        return state;
    }

    /** Stores a fresh snapshot, one publisher at a time: one built before a stop never lands after the stop's own. */
    void publish() {
        synchronized (publishing) {
            snapshot = TorrentTimer.snapshot(this, error);
        }
    }

    // --- TorrentHandle ---
    @Override
    public InfoHash infoHash() {
        return metainfo.infoHash();
    }

    @Override
    public TorrentMetainfo metainfo() {
        return metainfo;
    }

    @Override
    public TorrentStats stats() {
        return snapshot;
    }

    @Override
    public Path downloadDir() {
        return downloadDir;
    }

    @Override
    public Torrent torrent() {
        return this;
    }

    @Override
    public CompletableFuture<Void> completion() {
        return completion;
    }

    TorrentEvent event(TorrentEvent.Kind kind, int piece, String message) {
        return new TorrentEvent(kind, metainfo.infoHash(), state, piece, message);
    }

    @Override
    public String toString() {
        return metainfo.name();
    }
}
