package io.piecework.core.internal;

import io.piecework.api.engine.Priority;
import io.piecework.api.engine.TorrentEvent;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.storage.TorrentStorage;
import io.piecework.api.strategy.PeerView;
import io.piecework.api.strategy.Picker;
import io.piecework.api.strategy.RequestStrategy;
import io.piecework.api.strategy.TorrentView;
import io.piecework.api.strategy.UpdateReason;
import io.piecework.wire.ExtendedHandshake;
import io.piecework.wire.MetadataMessage;
import io.piecework.wire.PexMessage;
import io.piecework.wire.transport.PeerConnection;
import io.piecework.wire.transport.PeerHandler;
import io.piecework.wire.transport.TorrentPeers;
import io.piecework.wire.transport.TorrentRegistration;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One torrent: its pieces, its peers and its requests. All of its mutable state is guarded by
 * its own {@link #lock} (no engine-wide lock); disk writes, reads and hashing run on the
 * engine's pools outside that lock; statistics are published as an immutable snapshot.
 */
final class Torrent implements TorrentHandle, TorrentView, TorrentPeers {
    private static final Logger LOG = LoggerFactory.getLogger(Torrent.class);
    static final long SNUB_NANOS = TimeUnit.SECONDS.toNanos(30);
    static final long REQUEST_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);
    /** As many as we let a peer queue (the reqq we announce), so a full pipeline is never refused. */
    static final int MAX_QUEUED_UPLOADS = PeerSession.MAX_PIPELINE;
    static final int BAN_TRUST = -8;

    final Engine engine;
    final TorrentMetainfo metainfo;
    final Path downloadDir;
    final InstrumentedLock lock = new InstrumentedLock();
    /** What is decided under {@link #lock} is sent from here once it is released. */
    private final Outbox outbox = lock.outbox;
    final PieceTracker tracker;
    final RateMeter downloaded = new RateMeter();
    final RateMeter uploaded = new RateMeter();
    final LongAdder requestUpdates = new LongAdder();
    private final java.util.concurrent.atomic.AtomicInteger hashFailures = new java.util.concurrent.atomic.AtomicInteger();
    /** ut_pex messages dropped for coming sooner than BEP 11 allows. */
    final LongAdder pexIgnored = new LongAdder();
    /** Peers disconnected to make room for another, or for giving nothing. */
    final LongAdder evicted = new LongAdder();
    final Connector connector;
    final Uploads uploads;
    private final Writes writes = new Writes(this);
    /** The info dictionary, served to peers over ut_metadata (BEP 9). */
    final byte[] info;
    private final AtomicLongArray haveBits;
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private final long seed;
    private final int[] reserved = new int[PeerSession.MAX_PIPELINE];
    private final Priority[] filePriorities;
    private final Priority[] pieceOverrides;

    // Guarded by lock.
    private final List<PeerSession> peers = new ArrayList<>();
    private final List<PeerSession> peersView = Collections.unmodifiableList(peers);
    private PeerSession optimistic;
    private int round;
    private long lastTick = System.nanoTime();
    private TorrentRegistration registration;
    private ScheduledFuture<?> ticker;
    private Discovery.Binding discovery;
    /** Set while a magnet link hands its connections and announcements to this torrent. */
    private MagnetTorrent handingOver;
    /** The last storage open, done once {@link #opened} has run: remove() waits for it. */
    private CompletableFuture<?> opening;

    private volatile Picker picker;
    private volatile TorrentStorage storage;
    private volatile TorrentState state = TorrentState.STOPPED;
    private volatile String error;
    private volatile TorrentStats snapshot;
    private final Object publishing = new Object();
    private volatile long verifiedBytes;
    private volatile long wantedBytes;
    private volatile int peerCount;
    private volatile int seedCount;

    Torrent(Engine engine, TorrentMetainfo metainfo, Path downloadDir) {
        this.engine = engine;
        this.metainfo = metainfo;
        this.downloadDir = downloadDir;
        this.tracker = new PieceTracker(metainfo);
        this.haveBits = new AtomicLongArray((metainfo.pieceCount() + 63) >>> 6);
        this.seed = engine.random().nextLong();
        this.filePriorities = new Priority[metainfo.files().size()];
        java.util.Arrays.fill(filePriorities, Priority.NORMAL);
        this.pieceOverrides = new Priority[metainfo.pieceCount()];
        this.connector = new Connector(engine, metainfo.infoHash(), this,
                () -> engine.settings().maxPeersPerTorrent() - peerCount);
        this.uploads = new Uploads(this);
        this.info = metainfo.infoBytes();
        this.wantedBytes = tracker.wantedBytes();
        publish();
    }

    // --- lifecycle ---

    @Override
    public void start() {
        lock.lock();
        try {
            if (state == TorrentState.PAUSED) {
                state = tracker.complete() ? TorrentState.SEEDING : TorrentState.DOWNLOADING;
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
            RoaringBitmap done = opened.completed();
            tracker.alreadyVerified(done);
            for (int piece : done) {
                setHave(piece);
            }
            picker = engine.openPicker(this);
            complete = tracker.complete();
            state = complete ? TorrentState.SEEDING : TorrentState.DOWNLOADING;
            registration = engine.transport().register(metainfo.infoHash(), this);
            ticker = engine.scheduler().scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
            refreshByteCounts();
        } finally {
            lock.unlock();
        }
        LOG.info("{}: {} of {} pieces on disk, {}", metainfo.name(), tracker.verifiedCount(),
                metainfo.pieceCount(), complete ? "seeding" : "downloading");
        publish();
        engine.emit(event(TorrentEvent.Kind.STATE_CHANGED, -1, ""));
        for (InetSocketAddress known : handover.known()) {
            connector.add(known);
        }
        handover.adoptInto(this);
        Discovery.Binding binding = handover.discovery();
        if (binding == null) {
            binding = engine.discovery().bind(new LiveTarget(this), this::found);
        } else {
            binding.privacyKnown();
        }
        boolean stopped;
        lock.lock();
        try {
            stopped = state == TorrentState.STOPPED || state == TorrentState.ERROR;
            if (!stopped) {
                discovery = binding;
            }
        } finally {
            lock.unlock();
        }
        if (stopped) {
            binding.close();
        }
        if (complete) {
            completed();
        }
        connector.start();
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
    }

    @Override
    public void stop() {
        shutDown(TorrentState.STOPPED, null);
    }

    /** Stops with an error: requesting ends, peers go, verified pieces stay verified. */
    void fail(String why) {
        LOG.warn("{}: {}", metainfo.name(), why);
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
            closing = new ArrayList<>(peers);
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
            if (ticker != null) {
                ticker.cancel(false);
                ticker = null;
            }
        } finally {
            lock.unlock();
        }
        connector.stop();
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
            for (PeerSession p : peers) {
                p.amChoking = true;
                outbox.choke(p.connection, true);
            }
        } finally {
            lock.unlock();
        }
        publish();
        engine.emit(event(TorrentEvent.Kind.STATE_CHANGED, -1, ""));
    }

    @Override
    public CompletableFuture<Void> remove(boolean deleteData) {
        TorrentStorage kept;
        CompletableFuture<?> open;
        lock.lock();
        try {
            kept = storage;
            storage = null;
            open = opening;
        } finally {
            lock.unlock();
        }
        stop();
        engine.forget(this);
        if (kept != null) {
            return kept.remove(deleteData);
        }
        // A storage still opening (CHECKING) is closed by opened() once it is ready, since the
        // torrent is stopped by then; only after that can it be opened again to be removed.
        CompletableFuture<?> settled = open == null ? CompletableFuture.completedFuture(null)
                : open.handle((s, failure) -> null);
        return settled.thenCompose(v -> engine.openStorage(metainfo, downloadDir))
                .thenCompose(s -> s.remove(deleteData));
    }

    @Override
    public void connect(InetSocketAddress peer) {
        connector.add(peer);
    }

    // --- priorities ---

    @Override
    public void filePriority(int fileIndex, Priority priority) {
        lock.lock();
        try {
            filePriorities[fileIndex] = priority;
            applyPriorities();
        } finally {
            lock.unlock();
        }
        updateAllLater(UpdateReason.PRIORITY);
    }

    @Override
    public void piecePriority(int piece, Priority priority) {
        lock.lock();
        try {
            pieceOverrides[piece] = priority;
            applyPriorities();
        } finally {
            lock.unlock();
        }
        updateAllLater(UpdateReason.PRIORITY);
    }

    private void applyPriorities() {
        int[] levels = new int[metainfo.pieceCount()];
        List<FileEntry> files = metainfo.files();
        for (int f = 0; f < files.size(); f++) {
            FileEntry file = files.get(f);
            if (file.length() == 0 || file.padding()) {
                continue;
            }
            int first = (int) (file.offset() / metainfo.pieceLength());
            int last = (int) ((file.offset() + file.length() - 1) / metainfo.pieceLength());
            for (int p = first; p <= last; p++) {
                levels[p] = Math.max(levels[p], filePriorities[f].level());
            }
        }
        for (int p = 0; p < levels.length; p++) {
            tracker.priority(p, pieceOverrides[p] != null ? pieceOverrides[p].level() : levels[p]);
        }
        tracker.recount();
        refreshByteCounts();
        Picker current = picker;
        if (current != null) {
            current.prioritiesChanged();
        }
        for (PeerSession p : peers) {
            refreshInterest(p);
        }
        if (tracker.complete() && state == TorrentState.DOWNLOADING) {
            state = TorrentState.SEEDING;
        } else if (!tracker.complete() && state == TorrentState.SEEDING) {
            state = TorrentState.DOWNLOADING;
        }
    }

    // --- the strategy ---

    /** Replaces the picker (strategy swap); the new one rebuilds its caches from this view. */
    void usePicker(RequestStrategy strategy) {
        Picker old;
        lock.lock();
        try {
            if (storage == null) {
                return;
            }
            old = picker;
            picker = strategy == null ? null : strategy.open(this);
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
        current.requestUpdate(peer, reasons);
    }

    private void updateAllLater(int reasons) {
        List<PeerSession> all;
        lock.lock();
        try {
            all = new ArrayList<>(peers);
        } finally {
            lock.unlock();
        }
        for (PeerSession p : all) {
            requestUpdate(p, PeerSession.dryOr(reasons, p));
        }
    }

    // --- TorrentView, called by strategies under the lock ---

    @Override
    public InstrumentedLock lock() {
        return lock;
    }

    @Override
    public int pieceCount() {
        return metainfo.pieceCount();
    }

    @Override
    public boolean have(int piece) {
        return tracker.have(piece);
    }

    @Override
    public int priority(int piece) {
        return tracker.priority(piece);
    }

    @Override
    public boolean partial(int piece) {
        return tracker.partial(piece);
    }

    @Override
    public boolean endgame() {
        return tracker.endgame();
    }

    @Override
    public List<? extends PeerView> peers() {
        return peersView;
    }

    @Override
    public long tieBreakSeed() {
        return seed;
    }

    @Override
    public int request(PeerView peer, int piece, int max) {
        PeerSession p = (PeerSession) peer;
        if (p.closed || !p.has(piece) || p.rejects.paused(System.nanoTime())) {
            return 0;
        }
        max = Math.min(max, p.pipelineTarget() - p.inFlight());
        if (max <= 0) {
            return 0;
        }
        int n = tracker.reserve(piece, Math.min(max, reserved.length), p.pending, reserved);
        long now = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int block = reserved[i];
            p.pending.add(piece, block, now);
            outbox.request(p.connection, piece, block * PieceTracker.BLOCK, tracker.blockLength(piece, block));
        }
        return n;
    }

    // --- TorrentPeers: the transport hands us connections ---

    @Override
    public PeerHandler connected(PeerConnection connection) {
        return connected(connection, false);
    }

    /**
     * @param adopted the connection was made for the magnet link before the metadata: it has
     *                had its handshakes and may have sent messages, so no bitfield may follow
     */
    PeerSession connected(PeerConnection connection, boolean adopted) {
        // One of our dials already holds an engine slot (the connector took it when dialling).
        boolean dialled = connector.claim(connection.remoteAddress());
        if (!dialled && connector.banned(connection.remoteAddress())) {
            return null;
        }
        PeerSession session;
        PeerSession evict = null;
        lock.lock();
        try {
            if (storage == null || state == TorrentState.STOPPED || state == TorrentState.ERROR) {
                return refused(dialled);
            }
            long now = System.nanoTime();
            java.net.InetAddress ip = connection.remoteAddress().getAddress();
            int max = engine.settings().maxPeersPerTorrent();
            if (PeerSlots.at(peers, ip) >= engine.settings().peerLimits().perAddress(ip, max)) {
                evict = PeerSlots.leastUseful(peers, ip, now);
            } else if (!dialled && (peers.size() + connector.dialsInFlight() >= max || !engine.takeConnectionSlot())) {
                evict = PeerSlots.leastUseful(peers, null, now);
                if (evict == null) {
                    return null;
                }
            }
            if (evict != null) {
                // The newcomer takes the evicted peer's connection slot.
                detach(evict);
                if (dialled) {
                    engine.returnConnectionSlot();
                }
            } else if (PeerSlots.at(peers, ip) >= engine.settings().peerLimits().perAddress(ip, max)) {
                return refused(dialled);
            }
            session = new PeerSession(engine.nextPeerId(), this, connection);
            peers.add(session);
            countPeers();
            if (connection.extensionProtocol()) {
                outbox.extendedHandshake(connection, ExtendedHandshake.ours(Engine.CLIENT, engine.listenPort(),
                        PeerSession.MAX_PIPELINE, info.length));
            }
            if (adopted) {
                // The magnet side sent have_none (or nothing); pieces found on disk go as haves.
                for (int piece : tracker.verified()) {
                    outbox.have(connection, piece);
                }
            } else {
                announcePieces(connection);
            }
            engine.dhtPorts().advertise(connection, outbox);
        } finally {
            lock.unlock();
        }
        if (evict != null) {
            evicted(evict, "evicted for a newcomer: it gave nothing");
        }
        connector.connected(connection.remoteAddress());
        LOG.debug("{}: peer {} connected", metainfo.name(), connection.remoteAddress());
        return session;
    }

    /** Turns a connection away; one of our dials gives its connection slot back. Under the lock. */
    private PeerSession refused(boolean dialled) {
        if (dialled) {
            engine.returnConnectionSlot();
        }
        return null;
    }

    /** After {@link #detach}: closes the peer's connection, outside the lock. */
    private void evicted(PeerSession p, String why) {
        evicted.increment();
        LOG.debug("{}: peer {} {}", metainfo.name(), p, why);
        p.connection.close(why);
        connector.disconnected(p.connection.remoteAddress(), why);
    }

    private void announcePieces(PeerConnection connection) {
        int have = tracker.verifiedCount();
        if (have == metainfo.pieceCount() && connection.fastExtension()) {
            outbox.haveAll(connection);
        } else if (have == 0) {
            if (connection.fastExtension()) {
                outbox.haveNone(connection);
            }
        } else {
            outbox.bitfield(connection, tracker.verified().clone());
        }
    }

    // --- messages from peers (event loops) ---

    void peerPieces(PeerSession p, RoaringBitmap bitfield, boolean all) {
        boolean closeSeed;
        lock.lock();
        try {
            p.seed = all || (bitfield != null && bitfield.getCardinality() == metainfo.pieceCount());
            engine.releaseBitmap(p.pieces);
            p.pieces = all ? new RoaringBitmap() : bitfield;
            Picker current = picker;
            if (current != null) {
                current.peerPiecesReset(p);
            }
            refreshInterest(p);
            closeSeed = p.seed && tracker.complete() && state == TorrentState.SEEDING;
        } finally {
            lock.unlock();
        }
        if (closeSeed) {
            p.connection.close("both sides are seeds");
            return;
        }
        requestUpdate(p, PeerSession.dryOr(UpdateReason.PIECES_RESET, p));
    }

    void peerHas(PeerSession p, int piece) {
        lock.lock();
        try {
            if (p.seed || !p.pieces.checkedAdd(piece)) {
                return;
            }
            if (p.pieces.getCardinality() == metainfo.pieceCount()) {
                p.seed = true;
            }
            Picker current = picker;
            if (current != null) {
                current.peerHas(p, piece);
            }
            if (!p.amInterested && tracker.wanted(piece)) {
                p.amInterested = true;
                outbox.interested(p.connection, true);
            }
        } finally {
            lock.unlock();
        }
        if (p.pending.size() < p.pipelineTarget) {
            requestUpdate(p, PeerSession.dryOr(UpdateReason.HAVE, p));
        }
    }

    /** Sends interested or not interested when our interest in the peer changed. */
    private void refreshInterest(PeerSession p) {
        boolean want = false;
        if (!tracker.complete()) {
            if (p.seed) {
                want = true;
            } else {
                for (int piece : p.pieces) {
                    if (tracker.wanted(piece)) {
                        want = true;
                        break;
                    }
                }
            }
        }
        if (want != p.amInterested) {
            p.amInterested = want;
            outbox.interested(p.connection, want);
        }
    }

    void peerChoked(PeerSession p) {
        lock.lock();
        try {
            p.peerChoking = true;
            if (!p.connection.fastExtension()) {
                // Without BEP 6 a choke silently drops every request we had out.
                releaseAll(p);
            }
        } finally {
            lock.unlock();
        }
    }

    void peerUnchoked(PeerSession p) {
        lock.lock();
        try {
            p.peerChoking = false;
            p.lastBlockAt = System.nanoTime();
        } finally {
            lock.unlock();
        }
        requestUpdate(p, PeerSession.dryOr(UpdateReason.UNCHOKED, p));
    }

    void peerInterest(PeerSession p, boolean interested) {
        lock.lock();
        try {
            p.peerInterested = interested;
            // A free upload slot need not wait for the next choking round.
            if (interested && p.amChoking && state != TorrentState.PAUSED && unchokedCount() < engine.settings().uploadSlots()) {
                p.amChoking = false;
                outbox.choke(p.connection, false);
            }
        } finally {
            lock.unlock();
        }
    }

    private int unchokedCount() {
        int n = 0;
        for (PeerSession p : peers) {
            if (!p.amChoking) {
                n++;
            }
        }
        return n;
    }

    ByteBuffer blockBuffer(int length) {
        return engine.buffers().acquire(length);
    }

    void blockArrived(PeerSession p, int piece, int begin, ByteBuffer block) {
        int length = block.remaining();
        TorrentStorage target = null;
        boolean refill;
        int blockIndex = begin / PieceTracker.BLOCK;
        lock.lock();
        try {
            p.lastBlockAt = System.nanoTime();
            p.blockReceived();
            p.rejects.served();
            p.download.add(length);
            downloaded.add(length);
            boolean valid = begin % PieceTracker.BLOCK == 0 && piece < metainfo.pieceCount()
                    && blockIndex < tracker.blocks(piece) && length == tracker.blockLength(piece, blockIndex);
            if (valid) {
                p.pending.remove(piece, blockIndex);
                // Read once, under the lock: a stop after unlocking must not leave us a null target.
                target = storage != null && tracker.arrived(piece, blockIndex, p.id) ? storage : null;
                if (target != null && tracker.endgame()) {
                    cancelDuplicates(p, piece, blockIndex);
                }
            }
            refill = p.pending.size() <= p.pipelineTarget * 3 / 4;
        } finally {
            lock.unlock();
        }
        if (target != null) {
            writes.write(target, piece, blockIndex, block);
        } else {
            engine.buffers().release(block);
        }
        if (refill) {
            requestUpdate(p, PeerSession.dryOr(UpdateReason.BLOCK_RECEIVED, p));
        }
    }

    private void cancelDuplicates(PeerSession from, int piece, int block) {
        for (PeerSession other : peers) {
            if (other != from && other.pending.remove(piece, block)) {
                tracker.released(piece, block);
                outbox.cancel(other.connection, piece, block * PieceTracker.BLOCK, tracker.blockLength(piece, block));
            }
        }
    }

    /** On the disk pool: writes a received block, then has the piece hashed once all of it is written. */
    void write(TorrentStorage target, int piece, int block, ByteBuffer data) {
        try {
            target.write(piece, block * PieceTracker.BLOCK, data);
        } catch (Exception e) {
            if (storage != target) {
                // Stopped (and maybe started again) meanwhile: the closed storage refused it, no error of ours.
                LOG.debug("{}: write of piece {} dropped, the torrent stopped", metainfo.name(), piece);
                return;
            }
            fail("cannot write piece " + piece + ": " + Engine.message(e));
            return;
        } finally {
            engine.buffers().release(data);
        }
        boolean whole;
        lock.lock();
        try {
            whole = tracker.written(piece);
        } finally {
            lock.unlock();
        }
        if (whole) {
            target.verify(piece).whenComplete((ok, failure) -> verified(target, piece, ok, failure));
        }
    }

    private void verified(TorrentStorage target, int piece, Boolean ok, Throwable failure) {
        if (failure != null) {
            if (storage != target) {
                return; // stopped meanwhile: the closed storage refused it
            }
            fail("cannot verify piece " + piece + ": " + Engine.message(failure));
            return;
        }
        boolean complete = false;
        List<PeerSession> banned = new ArrayList<>();
        List<PeerSession> everyone;
        lock.lock();
        try {
            if (storage == null) {
                return;
            }
            PartialPiece pp = tracker.inProgress(piece);
            long[] contributors = pp == null ? new long[0] : java.util.Arrays.copyOf(pp.contributors, pp.contributorCount);
            Picker current = picker;
            if (Boolean.TRUE.equals(ok)) {
                tracker.verifiedPiece(piece);
                setHave(piece);
                adjustTrust(contributors, 1, banned);
                if (current != null) {
                    current.pieceVerified(piece);
                }
                for (PeerSession p : peers) {
                    outbox.have(p.connection, piece);
                    if (p.amInterested && !p.seed && p.pieces.contains(piece)) {
                        refreshInterest(p);
                    }
                }
                refreshByteCounts();
                if (tracker.complete() && state == TorrentState.DOWNLOADING) {
                    state = TorrentState.SEEDING;
                    complete = true;
                    for (PeerSession p : peers) {
                        refreshInterest(p);
                    }
                }
            } else {
                tracker.failed(piece);
                hashFailures.incrementAndGet();
                adjustTrust(contributors, contributors.length == 1 ? -4 : -2, banned);
                if (current != null) {
                    current.pieceFailed(piece);
                }
                LOG.info("{}: piece {} failed verification (sent by {} peer(s))", metainfo.name(), piece,
                        contributors.length);
            }
            everyone = new ArrayList<>(peers);
        } finally {
            lock.unlock();
        }
        for (PeerSession p : banned) {
            connector.ban(p.connection.remoteAddress());
            p.connection.close("sent data that failed verification");
        }
        if (Boolean.TRUE.equals(ok)) {
            engine.emit(event(TorrentEvent.Kind.PIECE_VERIFIED, piece, ""));
        } else {
            for (PeerSession p : everyone) {
                requestUpdate(p, PeerSession.dryOr(UpdateReason.PIECE_FAILED, p));
            }
        }
        if (complete) {
            completed();
        }
    }

    private void adjustTrust(long[] contributors, int delta, List<PeerSession> banned) {
        for (long id : contributors) {
            for (PeerSession p : peers) {
                if (p.id == id) {
                    p.trust += delta;
                    if (p.trust <= BAN_TRUST) {
                        banned.add(p);
                    }
                }
            }
        }
    }

    private void completed() {
        LOG.info("{}: complete", metainfo.name());
        publish();
        Discovery.Binding binding;
        lock.lock();
        try {
            binding = discovery;
        } finally {
            lock.unlock();
        }
        if (binding != null) {
            binding.completed();
        }
        completion.complete(null);
        engine.emit(event(TorrentEvent.Kind.COMPLETED, -1, ""));
        engine.emit(event(TorrentEvent.Kind.STATE_CHANGED, -1, ""));
        List<PeerSession> seeds = new ArrayList<>();
        lock.lock();
        try {
            for (PeerSession p : peers) {
                if (p.seed) {
                    seeds.add(p);
                }
            }
        } finally {
            lock.unlock();
        }
        seeds.forEach(p -> p.connection.close("both sides are seeds"));
    }

    void requestRejected(PeerSession p, int piece, int begin) {
        boolean giveUp = false;
        lock.lock();
        try {
            int block = begin / PieceTracker.BLOCK;
            if (p.pending.remove(piece, block)) {
                tracker.released(piece, block);
                // A choking peer rejects what we had asked (BEP 6); only rejects while unchoked count.
                giveUp = !p.peerChoking && p.rejects.rejected(System.nanoTime());
            }
        } finally {
            lock.unlock();
        }
        if (giveUp) {
            LOG.info("{}: peer {} rejected {} requests and sent nothing, dropping it", metainfo.name(), p,
                    p.rejects.rejects());
            connector.ban(p.connection.remoteAddress());
            p.connection.close("rejects every request");
            return;
        }
        requestUpdate(p, PeerSession.dryOr(UpdateReason.REJECTED, p));
    }

    void peerRequested(PeerSession p, int piece, int begin, int length) {
        uploads.requested(p, piece, begin, length);
    }

    void peerClosed(PeerSession p, String reason) {
        List<PeerSession> others;
        lock.lock();
        try {
            if (!peers.contains(p)) {
                return; // evicted: detached already, its slot passed on
            }
            detach(p);
            others = new ArrayList<>(peers);
        } finally {
            lock.unlock();
        }
        engine.returnConnectionSlot();
        connector.disconnected(p.connection.remoteAddress(), reason);
        LOG.debug("{}: peer {} gone: {}", metainfo.name(), p, reason);
        // Its requests are free again: let peers with room pick them up now.
        for (PeerSession o : others) {
            if (o.pending.size() < o.pipelineTarget) {
                requestUpdate(o, PeerSession.dryOr(UpdateReason.TIMED_OUT, o));
            }
        }
    }

    /** Takes a peer out of the torrent: its requests, its pieces, its place. Under the lock. */
    private void detach(PeerSession p) {
        p.closed = true;
        peers.remove(p);
        countPeers();
        releaseAll(p);
        Picker current = picker;
        if (current != null) {
            current.peerGone(p);
        }
        if (optimistic == p) {
            optimistic = null;
        }
        engine.releaseBitmap(p.pieces);
        p.pieces = new RoaringBitmap();
    }

    private void releaseAll(PeerSession p) {
        for (int i = 0; i < p.pending.size(); i++) {
            tracker.released(p.pending.piece(i), p.pending.block(i));
        }
        p.pending.clear();
    }

    // --- the timer: rates, timeouts, choking, snapshots ---

    private void tick() {
        try {
            tickUnsafe();
        } catch (RuntimeException e) {
            LOG.error("{}: timer failed", metainfo.name(), e);
        }
    }

    private void tickUnsafe() {
        long now = System.nanoTime();
        long elapsed = now - lastTick;
        lastTick = now;
        downloaded.tick(elapsed);
        uploaded.tick(elapsed);
        List<PeerSession> starved = new ArrayList<>();
        List<PeerSession> idlers = new ArrayList<>();
        lock.lock();
        try {
            long idle = TimeUnit.SECONDS.toNanos(engine.settings().peerLimits().idlePeerSeconds());
            for (PeerSession p : peers) {
                p.download.tick(elapsed);
                p.upload.tick(elapsed);
                p.resizePipeline();
                if (expireRequests(p, now) || (p.rejects.resumable(now) && p.pending.size() == 0)) {
                    starved.add(p);
                }
                if (idle > 0 && PeerSlots.useless(p, now, idle) && now - p.lastUsefulAt > idle) {
                    idlers.add(p);
                }
            }
            for (PeerSession p : idlers) {
                detach(p);
                engine.returnConnectionSlot();
            }
            if (++round % engine.settings().chokeRoundSeconds() == 0 || round == 1) {
                chokeRound(round % (3 * engine.settings().chokeRoundSeconds()) == 0);
            }
            if (round % 5 == 0) {
                refreshByteCounts();
            }
            countPeers();
        } finally {
            lock.unlock();
        }
        idlers.forEach(p -> evicted(p, "idle: nothing but keep-alives, and nothing to exchange"));
        for (PeerSession p : starved) {
            requestUpdate(p, PeerSession.dryOr(UpdateReason.TIMED_OUT, p));
        }
        connector.tick();
        if (round % Math.max(1, engine.settings().pexIntervalSeconds()) == 0 && !metainfo.isPrivate()) {
            exchangePeers();
        }
        publish();
    }

    // --- BEP 9 and BEP 11: metadata for others, peers both ways ---

    void metadataRequested(PeerSession p, MetadataMessage message) {
        if (message.type() != MetadataMessage.REQUEST) {
            return;
        }
        int piece = message.piece();
        int count = MetadataMessage.pieceCount(info.length);
        if (piece >= count || !p.connection.isWritable()) {
            // Out of range, or the peer is not taking what we send: reject rather than queue 16 KiB.
            p.connection.metadata(MetadataMessage.reject(piece));
            return;
        }
        int from = piece * MetadataMessage.PIECE_LENGTH;
        int length = Math.min(MetadataMessage.PIECE_LENGTH, info.length - from);
        p.connection.metadata(MetadataMessage.data(piece, info.length,
                ByteBuffer.wrap(info, from, length)));
    }

    /** On the peer's event loop: BEP 11 allows one message a minute, 50 peers each. */
    void peersExchanged(PeerSession from, PexMessage message) {
        if (metainfo.isPrivate()) {
            return;
        }
        if (!from.pexGate.admit(System.nanoTime(), engine.settings().pexIntervalSeconds())) {
            pexIgnored.increment();
            return;
        }
        from.useful();
        for (InetSocketAddress peer : Pex.connectable(message)) {
            connector.add(peer, true);
        }
    }

    /** Tells every ut_pex peer who joined and left since its last message. */
    private void exchangePeers() {
        List<PeerSession> targets = new ArrayList<>();
        List<PexMessage> messages = new ArrayList<>();
        lock.lock();
        try {
            Map<InetSocketAddress, Boolean> now = new LinkedHashMap<>();
            java.util.function.Predicate<InetSocketAddress> dialled = connector::isKnown;
            for (PeerSession p : peers) {
                InetSocketAddress listen = p.listenAddress(dialled);
                if (listen != null) {
                    now.put(listen, p.seed);
                }
            }
            for (PeerSession p : peers) {
                if (p.closed || !p.supportsPex()) {
                    continue;
                }
                PexMessage m = Pex.next(p.pexSent, now, p.listenAddress(dialled));
                if (m != null) {
                    targets.add(p);
                    messages.add(m);
                }
            }
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < targets.size(); i++) {
            targets.get(i).connection.pex(messages.get(i));
        }
    }

    private boolean expireRequests(PeerSession p, long now) {
        boolean expired = false;
        for (int i = p.pending.size() - 1; i >= 0; i--) {
            if (now - p.pending.sentAt(i) > REQUEST_TIMEOUT_NANOS) {
                tracker.released(p.pending.piece(i), p.pending.block(i));
                outbox.cancel(p.connection, p.pending.piece(i), p.pending.block(i) * PieceTracker.BLOCK,
                        tracker.blockLength(p.pending.piece(i), p.pending.block(i)));
                p.pending.removeAt(i);
                expired = true;
            }
        }
        return expired;
    }

    private void chokeRound(boolean rotate) {
        if (state == TorrentState.PAUSED) {
            return;
        }
        List<PeerSession> chosen = engine.choker().choose(peers, engine.settings().uploadSlots(),
                state == TorrentState.SEEDING, optimistic, rotate);
        PeerSession newOptimistic = null;
        for (PeerSession p : chosen) {
            newOptimistic = p;
        }
        optimistic = chosen.size() > engine.settings().uploadSlots() ? newOptimistic : optimistic;
        for (PeerSession p : peers) {
            boolean unchoke = chosen.contains(p);
            if (unchoke && p.amChoking) {
                p.amChoking = false;
                outbox.choke(p.connection, false);
            } else if (!unchoke && !p.amChoking) {
                p.amChoking = true;
                outbox.choke(p.connection, true);
            }
            p.unchokedRounds = p.amChoking ? 0 : p.unchokedRounds + 1;
        }
    }

    /** Wanted bytes not yet verified, for announces. */
    long left() {
        return Math.max(0, wantedBytes - verifiedBytes);
    }

    List<String> discoveryStatus() {
        Discovery.Binding b;
        lock.lock();
        try {
            b = discovery;
        } finally {
            lock.unlock();
        }
        return b == null ? List.of() : b.status();
    }

    private void refreshByteCounts() {
        verifiedBytes = tracker.verifiedWantedBytes();
        wantedBytes = tracker.wantedBytes();
    }

    private void setHave(int piece) {
        haveBits.getAndUpdate(piece >>> 6, w -> w | (1L << piece));
    }

    /** Lock-free: whether we have a verified piece, for the upload path. */
    boolean hasVerified(int piece) {
        return (haveBits.get(piece >>> 6) & (1L << piece)) != 0;
    }

    TorrentStorage storage() {
        return storage;
    }

    TorrentState state() {
        return state;
    }

    /**
     * Stores a fresh snapshot. The timer, a stop and completion all publish: one at a time, each
     * reading the state inside, so a snapshot built from the state before a stop can never be
     * stored after the stop's own.
     */
    void publish() {
        synchronized (publishing) {
            snapshot = buildSnapshot();
        }
    }

    private TorrentStats buildSnapshot() {
        int verified = 0;
        for (int i = 0; i < haveBits.length(); i++) {
            verified += Long.bitCount(haveBits.get(i));
        }
        long rate = downloaded.rate();
        long left = Math.max(0, wantedBytes - verifiedBytes);
        long eta = left == 0 ? 0 : rate > 0 ? left / rate : -1;
        return new TorrentStats(metainfo.infoHash(), metainfo.name(), state, metainfo.pieceCount(), verified,
                wantedBytes, verifiedBytes, downloaded.total(), uploaded.total(), rate, uploaded.rate(), peerCount,
                seedCount, eta, lock.acquisitions(), lock.waitNanos(), lock.holdNanos(), lock.waits().percentile(50),
                lock.waits().percentile(99), lock.holds().percentile(50), lock.holds().percentile(99), requestUpdates.sum(),
                hashFailures.get(), connector.bannedCount(), Optional.ofNullable(error));
    }

    /** Recounts peers and seeds for the snapshot; under the lock. */
    private void countPeers() {
        int seeds = 0;
        for (PeerSession p : peers) {
            if (p.seed) {
                seeds++;
            }
        }
        peerCount = peers.size();
        seedCount = seeds;
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
    public CompletableFuture<Void> completion() {
        return completion;
    }

    private TorrentEvent event(TorrentEvent.Kind kind, int piece, String message) {
        return new TorrentEvent(kind, metainfo.infoHash(), state, piece, message);
    }

    @Override
    public String toString() {
        return metainfo.name();
    }
}
