package io.piecework.core.internal;

import io.piecework.api.bitmap.BitmapPool;
import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.EngineStats;
import io.piecework.api.engine.TorrentEngineFactory;
import io.piecework.api.engine.TorrentEvent;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentListener;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.discovery.PeerSource;
import io.piecework.transport.ConnectionSource;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.MagnetLink;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.storage.StorageProvider;
import io.piecework.api.storage.TorrentStorage;
import io.piecework.api.strategy.Picker;
import io.piecework.api.strategy.RequestStrategy;
import io.piecework.transport.PeerTransport;
import io.piecework.transport.TorrentPeers;
import io.piecework.transport.TorrentRegistration;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine without OSGi: the DS component (and tests, and extra engines made by the factory)
 * wrap one. The registry of torrents is a concurrent map; each torrent has its own lock.
 */
public final class Engine implements TorrentEngineFactory.OwnedEngine {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    static final String CLIENT = "Piecework 0.1.0";
    /** How often the timer looks for torrents due a tick. */
    static final long TICK_SLICE_MILLIS = 100;

    private final PeerTransport transport;
    private final TorrentRates rates = new TorrentRates(this::emit);
    /** Read at each use, so a change applies to running torrents (EngineComponent's @Modified). */
    private volatile EngineSettings settings;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService disk;
    private final DhtPorts dhtPorts = new DhtPorts();
    private final BlockBuffers buffers = new BlockBuffers(1024);
    private final Random random = new Random();
    private final Choker choker = new Choker(random);
    private final ConcurrentHashMap<InfoHash, Torrent> torrents = new ConcurrentHashMap<>();
    /** Magnet links whose metadata is not known yet; each moves to {@link #torrents} when it is. */
    private final ConcurrentHashMap<InfoHash, MagnetTorrent> magnets = new ConcurrentHashMap<>();
    private final Discovery discovery = new Discovery();
    private final ConnectionSources connectionSources = new ConnectionSources();
    private final List<TorrentListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong peerIds = new AtomicLong();
    private final AtomicInteger connections = new AtomicInteger();
    private final DialSlots dials;
    private volatile RequestStrategy strategy;
    private volatile String strategyName;
    private volatile StorageProvider storageProvider;
    private volatile BitmapPool bitmapPool;

    /** Running torrents' timers, offered a tick every second by the one timer thread. */
    private final TorrentTimers timers = new TorrentTimers();
    private final List<Runnable> onClose = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    public Engine(PeerTransport transport) {
        this(transport, EngineSettings.defaults());
    }

    /** For benchmarks comparing the two upload paths: sent from files (sendfile) or copied. */
    public Engine(PeerTransport transport, boolean sendFromFiles) {
        this(transport, EngineSettings.defaults().withSendFromFiles(sendFromFiles));
    }

    Engine(PeerTransport transport, EngineSettings settings) {
        this(transport, settings, () -> { });
    }

    /** @param closeTransport what closing the engine does to its transport (nothing, if shared) */
    Engine(PeerTransport transport, EngineSettings settings, Runnable closeTransport) {
        this.transport = transport;
        this.settings = settings;
        this.onClose.add(closeTransport);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Pools.daemon("piecework-timer"));
        this.disk = Executors.newFixedThreadPool(settings.diskThreads(), Pools.daemon("piecework-disk"));
        this.dials = new DialSlots(() -> this.settings.peerLimits().dialsInFlight(), scheduler);
        // One task for all torrents rather than one each: a quiet torrent's timer declines most
        // ticks with a single comparison (TorrentTimer), so 1000 idle torrents cost next to nothing.
        // It runs ten times a second and each torrent ticks a second after its last tick, so the
        // ticks keep the phases the torrents started with instead of coming all at once: in one
        // burst a second, the first torrents took every dial slot and the rest waited a second.
        scheduler.scheduleAtFixedRate(timers::tick, TICK_SLICE_MILLIS, TICK_SLICE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** From a second from now on, the torrent's timer ticks every second. */
    void startTicking(TorrentTimer timer) {
        timers.add(timer);
    }

    void stopTicking(TorrentTimer timer) {
        timers.remove(timer);
    }

    // --- TorrentEngine ---

    @Override
    public TorrentHandle add(TorrentMetainfo metainfo, AddOptions options) throws IOException {
        MagnetTorrent pending = magnets.get(metainfo.infoHash());
        if (pending != null) {
            // Already there, as a magnet link still fetching its metadata: that is its handle.
            return pending;
        }
        boolean[] created = new boolean[1];
        Torrent torrent = torrents.computeIfAbsent(metainfo.infoHash(), h -> {
            created[0] = true;
            return new Torrent(this, metainfo, options.downloadDir());
        });
        if (created[0]) {
            emit(torrent.event(TorrentEvent.Kind.ADDED, -1, ""));
        }
        for (InetSocketAddress peer : options.peers()) {
            torrent.connect(peer);
        }
        if (!options.paused()) {
            torrent.start();
        }
        return torrent;
    }

    /**
     * Adds a magnet link: the handle exists at once, its metadata comes from peers (x.pe, the
     * peer sources with the link's trackers, PEX). Adding one already there returns its handle.
     */
    @Override
    public TorrentHandle add(MagnetLink magnet, AddOptions options) throws IOException {
        Torrent known = torrents.get(magnet.infoHash());
        if (known != null) {
            return known;
        }
        boolean[] created = new boolean[1];
        MagnetTorrent m = magnets.computeIfAbsent(magnet.infoHash(), h -> {
            created[0] = true;
            return new MagnetTorrent(this, magnet, options.downloadDir());
        });
        if (created[0]) {
            emit(new TorrentEvent(TorrentEvent.Kind.ADDED, magnet.infoHash(), m.stats().state(), -1, ""));
        }
        if (created[0] && !options.paused()) {
            m.start();
        }
        for (InetSocketAddress peer : options.peers()) {
            m.connect(peer);
        }
        return m;
    }

    @Override
    public Optional<TorrentHandle> find(InfoHash infoHash) {
        TorrentHandle t = torrents.get(infoHash);
        return Optional.ofNullable(t != null ? t : magnets.get(infoHash));
    }

    @Override
    public Optional<TorrentHandle> find(String infoHashPrefix) {
        String prefix = infoHashPrefix.toLowerCase(Locale.ROOT);
        List<TorrentHandle> matches = new ArrayList<>();
        for (TorrentHandle t : torrents()) {
            if (t.infoHash().hex().startsWith(prefix)) {
                matches.add(t);
            }
        }
        return matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty();
    }

    @Override
    public List<TorrentHandle> torrents() {
        List<TorrentHandle> all = new ArrayList<>(torrents.values());
        all.addAll(magnets.values());
        return List.copyOf(all);
    }

    @Override
    public EngineStats stats() {
        int peers = 0;
        long down = 0;
        long up = 0;
        long downRate = 0;
        long upRate = 0;
        for (TorrentHandle t : torrents()) {
            TorrentStats s = t.stats();
            peers += s.peers();
            down += s.downloaded();
            up += s.uploaded();
            downRate += s.downloadRate();
            upRate += s.uploadRate();
        }
        return new EngineStats(torrents.size() + magnets.size(), peers, down, up, downRate, upRate);
    }

    @Override
    public int listenPort() {
        return transport.port();
    }

    @Override
    public Optional<String> strategy() {
        return Optional.ofNullable(strategyName);
    }

    // --- services that come and go ---

    /** Swaps the request strategy of every torrent; null stops requesting until one binds. */
    public void useStrategy(RequestStrategy next, String name) {
        strategy = next;
        strategyName = next == null ? null : name;
        LOG.info("request strategy: {}", next == null ? "none (requesting paused)" : name);
        for (Torrent t : torrents.values()) {
            t.usePicker(next);
        }
    }

    public void useStorage(StorageProvider provider) {
        storageProvider = provider;
    }

    /**
     * Where peers' piece sets come from and go back to; null: plain bitmaps for the GC. Bitmaps
     * out on loan when the pool changes go back to the new one, which lets them go.
     */
    public void useBitmapPool(BitmapPool pool) {
        bitmapPool = pool;
    }

    /** The DHT node, for BEP 5 port messages; null when none is bound. */
    public void useDht(io.piecework.api.discovery.DhtNode node) {
        dhtPorts.use(node);
    }

    DhtPorts dhtPorts() {
        return dhtPorts;
    }

    /** A peer source arrived: every running torrent is announced to it. */
    public void addSource(PeerSource source, String name) {
        discovery.addSource(source, name);
        LOG.info("peer source {} bound", name);
    }

    /** A peer source left; its announcements went with it. */
    public void removeSource(PeerSource source) {
        discovery.removeSource(source);
    }

    /** A connection source (web seeds) arrived: every running torrent is attached to it. */
    public void addConnectionSource(ConnectionSource source) {
        connectionSources.add(source);
    }

    public void removeConnectionSource(ConnectionSource source) {
        connectionSources.remove(source);
    }

    public void addListener(TorrentListener listener) {
        listeners.add(listener);
    }

    public void removeListener(TorrentListener listener) {
        listeners.remove(listener);
    }

    // --- for torrents ---

    CompletableFuture<TorrentStorage> openStorage(TorrentMetainfo metainfo, Path downloadDir) {
        StorageProvider provider = storageProvider;
        if (provider == null) {
            return CompletableFuture.failedFuture(new IOException("no storage provider is available"));
        }
        return provider.open(metainfo, downloadDir);
    }

    Picker openPicker(BlockPath view) {
        RequestStrategy s = strategy;
        return s == null ? null : s.open(view);
    }

    void emit(TorrentEvent event) {
        for (TorrentListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("torrent listener {} failed", l, e);
            }
        }
    }

    void forget(Torrent torrent) {
        if (torrents.remove(torrent.infoHash(), torrent)) {
            rates.forget(torrent.infoHash());
            emit(torrent.event(TorrentEvent.Kind.REMOVED, -1, ""));
        }
    }

    void forget(MagnetTorrent magnet) {
        if (magnets.remove(magnet.infoHash(), magnet)) {
            rates.forget(magnet.infoHash());
            emit(new TorrentEvent(TorrentEvent.Kind.REMOVED, magnet.infoHash(), magnet.stats().state(), -1, ""));
        }
    }

    /** A magnet's metadata arrived: its torrent joins the registry (the magnet's handle delegates to it). */
    void resolved(MagnetTorrent magnet, Torrent torrent) {
        torrents.put(torrent.infoHash(), torrent);
        magnets.remove(magnet.infoHash(), magnet);
    }

    ConnectionSources connectionSources() {
        return connectionSources;
    }

    Discovery discovery() {
        return discovery;
    }

    PeerTransport transport() {
        return transport;
    }

    /** Torrents and magnets register through here, so their rate limits follow them. */
    TorrentRegistration register(InfoHash infoHash, TorrentPeers torrent) {
        return rates.register(transport, infoHash, torrent);
    }

    TorrentRates rates() {
        return rates;
    }

    EngineSettings settings() {
        return settings;
    }

    /**
     * New settings for the running engine: peer and connection limits, upload slots, the choke
     * round, PEX and sending from files apply at their next use; the disk pool is resized.
     */
    void settings(EngineSettings next) {
        settings = next;
        Pools.resize(disk, next.diskThreads());
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    ExecutorService disk() {
        return disk;
    }

    BlockBuffers buffers() {
        return buffers;
    }

    Choker choker() {
        return choker;
    }

    Random random() {
        return random;
    }

    long nextPeerId() {
        return peerIds.incrementAndGet();
    }

    boolean takeConnectionSlot() {
        if (connections.incrementAndGet() > settings.maxConnections()) {
            connections.decrementAndGet();
            return false;
        }
        return true;
    }

    void returnConnectionSlot() {
        connections.decrementAndGet();
    }

    DialSlots dials() {
        return dials;
    }

    /** A peer's first have: an empty piece set from the pool, if one is bound. */
    RoaringBitmap takeBitmap() {
        BitmapPool pool = bitmapPool;
        return pool == null ? new RoaringBitmap() : pool.take();
    }

    /**
     * A peer's piece set is no longer used (a new bitfield replaced it, the peer left): back to
     * the pool, which gives bitmaps it did not lend to the GC. Exactly once per bitmap.
     */
    void releaseBitmap(RoaringBitmap bitmap) {
        BitmapPool pool = bitmapPool;
        if (pool == null || bitmap == null || bitmap == Swarm.NO_PIECES) {
            return;
        }
        try {
            pool.release(bitmap);
        } catch (IllegalStateException e) {
            // A second release: a bug here, but the peer's state is consistent; the pool kept nothing.
            LOG.error("peer piece set released twice", e);
        }
    }

    static String message(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** Stops every torrent (saving its state) and the engine's threads. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (MagnetTorrent m : magnets.values()) {
            m.stop();
        }
        for (Torrent t : torrents.values()) {
            t.stop();
        }
        scheduler.shutdownNow();
        disk.shutdown();
        try {
            disk.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        onClose.forEach(Runnable::run);
    }

    void onClose(Runnable action) {
        onClose.add(action);
    }
}
