package io.piecework.core.internal;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.Priority;
import io.piecework.api.engine.TorrentEvent;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.MagnetLink;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.text.Untrusted;
import io.piecework.metainfo.MetainfoParser;
import io.piecework.wire.ExtendedHandshake;
import io.piecework.wire.PexMessage;
import io.piecework.transport.PeerConnection;
import io.piecework.transport.PeerHandler;
import io.piecework.transport.TorrentPeers;
import io.piecework.transport.TorrentRegistration;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A torrent added by magnet link. Until the info dictionary is known it connects to peers
 * (x.pe, peer sources, PEX), fetches the dictionary over ut_metadata, checks it against the
 * info-hash, saves it as {@code <name>.torrent} in the download folder and then hands its
 * connections and announcements to a {@link Torrent}, to which this handle delegates from then
 * on. Its own state is guarded by its monitor.
 */
final class MagnetTorrent implements LimitedHandle, TorrentPeers {
    private static final Logger LOG = LoggerFactory.getLogger(MagnetTorrent.class);

    final Engine engine;
    final MagnetLink magnet;
    final MetadataFetch fetch;
    private final Path downloadDir;
    final Connector connector;
    private final LiveTarget target;
    private final String name;
    private final CompletableFuture<Void> completion = new CompletableFuture<>();

    // Guarded by this.
    private final List<MagnetPeer> peers = new ArrayList<>();
    private TorrentRegistration registration;
    private ScheduledFuture<?> ticker;
    private Discovery.Binding discovery;
    private boolean handedOver;
    private volatile boolean removed;

    private volatile Torrent torrent;
    /** Between the metadata and the torrent of a v2-only link: its piece layers being fetched. */
    private volatile PieceLayerFetch layers;
    private volatile TorrentState state = TorrentState.STOPPED;
    private volatile String error;
    private volatile long resolvedAtNanos;
    private final long addedAtNanos = System.nanoTime();

    MagnetTorrent(Engine engine, MagnetLink magnet, Path downloadDir) {
        this.engine = engine;
        this.magnet = magnet;
        this.downloadDir = downloadDir;
        this.name = Untrusted.text(magnet.displayName().orElse(magnet.infoHash().hex())); // for logs and stats
        this.connector = new Connector(engine, magnet.infoHash(), this, this::freeSlots);
        List<List<String>> tiers = new ArrayList<>();
        for (String tr : magnet.trackers()) {
            tiers.add(List.of(tr));
        }
        this.target = new LiveTarget(engine, magnet.infoHash(), tiers);
        this.fetch = new MetadataFetch(magnet.infoHash(), magnet.v2Only() ? magnet.infoHashV2().get() : null,
                engine.disk(), this::metadataArrived, System::nanoTime);
    }

    // --- lifecycle ---

    @Override
    public void start() {
        Torrent t = torrent;
        if (t != null) {
            t.start();
            return;
        }
        Discovery.Binding binding;
        synchronized (this) {
            if (handedOver || removed || (state != TorrentState.STOPPED && state != TorrentState.ERROR)) {
                return;
            }
            state = TorrentState.DOWNLOADING;
            error = null;
            registration = engine.register(magnet.infoHash(), this);
            if (layers != null && layers.failed()) {
                layers = layers.again(); // a restart after an error asks every peer afresh
            }
            ticker = engine.scheduler().scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        }
        binding = engine.discovery().bind(target, this::found);
        synchronized (this) {
            if (discovery == null && state == TorrentState.DOWNLOADING && !handedOver) {
                discovery = binding;
                binding = null;
            }
        }
        if (binding != null) {
            binding.close();
        }
        for (InetSocketAddress peer : DirectPeers.of(magnet)) {
            connector.add(peer);
        }
        connector.start();
        engine.emit(event(TorrentEvent.Kind.STATE_CHANGED, ""));
    }

    @Override
    public void stop() {
        Torrent t = torrent;
        if (t != null) {
            t.stop();
            return;
        }
        shutDown(TorrentState.STOPPED, null);
    }

    private void shutDown(TorrentState target, String why) {
        List<MagnetPeer> closing;
        Discovery.Binding binding;
        synchronized (this) {
            if (handedOver || state == TorrentState.STOPPED || state == TorrentState.ERROR) {
                return;
            }
            state = target;
            error = why;
            closing = new ArrayList<>(peers);
            binding = discovery;
            discovery = null;
            closeRegistration();
        }
        connector.stop();
        if (binding != null) {
            binding.close();
        }
        for (MagnetPeer p : closing) {
            p.connection.close(why == null ? "torrent stopped" : "torrent error");
        }
        engine.emit(event(target == TorrentState.ERROR ? TorrentEvent.Kind.ERROR : TorrentEvent.Kind.STATE_CHANGED,
                why == null ? "" : why));
    }

    private void closeRegistration() {
        if (registration != null) {
            registration.close();
            registration = null;
        }
        if (ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
    }

    /** Before the metadata there is nothing to pause; afterwards the torrent pauses. */
    @Override
    public void pause() {
        Torrent t = torrent;
        if (t != null) {
            t.pause();
        }
    }

    @Override
    public CompletableFuture<Void> remove(boolean deleteData) {
        synchronized (this) {
            removed = true;
        }
        Torrent t = torrent;
        if (t != null) {
            return t.remove(deleteData);
        }
        shutDown(TorrentState.STOPPED, null);
        engine.forget(this);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void connect(InetSocketAddress peer) {
        Torrent t = torrent;
        if (t != null) {
            t.connect(peer);
        } else {
            connector.add(peer);
        }
    }

    /** @throws IllegalStateException before the metadata, when there are no files or pieces yet */
    @Override
    public void filePriority(int fileIndex, Priority priority) {
        resolved().filePriority(fileIndex, priority);
    }

    /** @throws IllegalStateException before the metadata, when there are no files or pieces yet */
    @Override
    public void piecePriority(int piece, Priority priority) {
        resolved().piecePriority(piece, priority);
    }

    @Override
    public TorrentRates rates() {
        return engine.rates();
    }

    private Torrent resolved() {
        Torrent t = torrent;
        if (t == null) {
            throw new IllegalStateException(name + ": the metadata is not known yet");
        }
        return t;
    }

    @Override
    public InfoHash infoHash() {
        return magnet.infoHash();
    }

    /** Null until the info dictionary has been fetched and verified. */
    @Override
    public TorrentMetainfo metainfo() {
        Torrent t = torrent;
        return t == null ? null : t.metainfo;
    }

    @Override
    public Path downloadDir() {
        return downloadDir;
    }

    @Override
    public Optional<MagnetLink> magnet() {
        return torrent == null ? Optional.of(magnet) : Optional.empty();
    }

    @Override
    public TorrentStats stats() {
        Torrent t = torrent;
        if (t != null) {
            return t.stats();
        }
        int count;
        synchronized (this) {
            count = peers.size();
        }
        return new TorrentStats(magnet.infoHash(), name, state, 0, 0, 0, 0, 0, 0, 0, 0, count, 0, -1,
                0, 0, 0, 0, 0, 0, 0, 0, fetch.hashFailures(), 0, Optional.ofNullable(error));
    }

    @Override
    public CompletableFuture<Void> completion() {
        return completion;
    }

    /** Nanoseconds from add to the verified info dictionary, or -1 while it is not known. */
    long timeToMetadataNanos() {
        long at = resolvedAtNanos;
        return at == 0 ? -1 : at - addedAtNanos;
    }

    // --- connections before the metadata ---

    @Override
    public int pieceCount() {
        return -1;
    }

    /** A link with only a v2 info-hash is for the v2 swarm: we say we speak BEP 52 (and ask for hashes). */
    @Override
    public boolean v2() {
        return magnet.v2Only();
    }

    /** Connections the connector may still dial: the torrent's limit less the peers connected. */
    private synchronized int freeSlots() {
        return engine.settings().maxPeersPerTorrent() - peers.size();
    }

    @Override
    public PeerHandler connected(PeerConnection connection) {
        // One of our dials already holds an engine slot (the connector took it when dialling).
        boolean dialled = connector.claim(connection.remoteAddress());
        if (!dialled && connector.banned(connection.remoteAddress())) {
            return null;
        }
        MagnetPeer peer;
        synchronized (this) {
            if (handedOver || state != TorrentState.DOWNLOADING
                    || (!dialled && (peers.size() + connector.dialsInFlight() >= engine.settings().maxPeersPerTorrent()
                    || !engine.takeConnectionSlot()))) {
                if (dialled) {
                    engine.returnConnectionSlot();
                }
                return null;
            }
            peer = new MagnetPeer(this, connection);
            peers.add(peer);
        }
        if (connection.fastExtension()) {
            // The only message allowed first that is true now; bitfields need the piece count.
            connection.haveNone();
        }
        if (connection.extensionProtocol()) {
            connection.extendedHandshake(ExtendedHandshake.ours(Engine.CLIENT, engine.listenPort(),
                    PeerSession.MAX_PIPELINE, -1));
        }
        engine.dhtPorts().advertise(connection);
        connector.connected(connection.remoteAddress());
        return peer;
    }

    void peerClosed(MagnetPeer peer, String reason) {
        synchronized (this) {
            if (!peers.remove(peer)) {
                return;
            }
        }
        engine.returnConnectionSlot();
        fetch.peerGone(peer);
        PieceLayerFetch l = layers;
        if (l != null) {
            l.peerGone(peer);
        }
        connector.disconnected(peer.connection.remoteAddress(), reason);
    }

    void found(List<InetSocketAddress> found, String source) {
        Torrent t = torrent;
        if (t != null) {
            t.found(found, source);
            return;
        }
        for (InetSocketAddress peer : found) {
            connector.add(peer);
        }
    }

    void peersExchanged(PexMessage message) {
        // Whether the torrent is private is not known yet; BEP 27 torrents come by .torrent.
        for (InetSocketAddress peer : Pex.connectable(message)) {
            connector.add(peer, true);
        }
    }

    private void tick() {
        try {
            fetch.tick();
            PieceLayerFetch l = layers;
            if (l != null) {
                l.tick();
            }
            connector.tick();
        } catch (RuntimeException e) {
            LOG.error("{}: timer failed", name, e);
        }
    }

    // --- the metadata arrived (on the hashing executor) ---

    private void metadataArrived(byte[] info) {
        resolvedAtNanos = System.nanoTime();
        TorrentMetainfo metainfo;
        try {
            metainfo = MetainfoParser.parse(MagnetTorrentFile.of(magnet, info));
        } catch (Exception e) {
            shutDown(TorrentState.ERROR, "metadata: " + Engine.message(e));
            return;
        }
        LOG.info("{}: metadata of {} bytes in {} ms: {} pieces", name, info.length,
                TimeUnit.NANOSECONDS.toMillis(timeToMetadataNanos()), metainfo.pieceCount());
        if (PieceLayerFetch.needed(metainfo)) {
            // No piece of a file larger than one piece verifies without its layer: the torrent opens with all of them.
            layers = new LayersArrived(this, info, metainfo).fetch();
            layers.tick();
            return;
        }
        open(metainfo, MagnetTorrentFile.of(magnet, info));
    }

    /** The peers to ask for piece layers. */
    synchronized List<MagnetPeer> layerPeers() {
        return state == TorrentState.DOWNLOADING ? new ArrayList<>(peers) : List.of();
    }

    /** The verified metadata (with every piece layer it needs): saves it and opens the torrent. */
    void open(TorrentMetainfo metainfo, byte[] torrentFile) {
        if (removed) { // while the layers came: no torrent to open, no file to leave behind
            return;
        }
        try {
            MetadataFile.save(downloadDir, metainfo.name(), magnet.infoHash(), torrentFile, name);
        } catch (Exception e) {
            shutDown(TorrentState.ERROR, "metadata: " + Engine.message(e));
            return;
        }
        layers = null;
        Torrent t = new Torrent(engine, metainfo, downloadDir);
        selectOnly(t, metainfo);
        t.takeOverFrom(this);
        target.resolve(t);
        t.completion().whenComplete((v, failure) -> {
            if (failure == null) {
                completion.complete(null);
            } else {
                completion.completeExceptionally(failure);
            }
        });
        boolean run;
        synchronized (this) {
            run = state == TorrentState.DOWNLOADING && !removed;
            torrent = t;
        }
        engine.resolved(this, t);
        if (run) {
            t.start();
        }
    }

    /** BEP 53: with {@code so=} in the link, the files it does not name are skipped. */
    private void selectOnly(Torrent t, TorrentMetainfo metainfo) {
        List<Integer> selected = magnet.selectOnly();
        if (selected.isEmpty()) {
            return;
        }
        Set<Integer> keep = Set.copyOf(selected);
        for (int f = 0; f < metainfo.files().size(); f++) {
            if (!keep.contains(f)) {
                t.filePriority(f, Priority.SKIP);
            }
        }
    }

    /** What the torrent takes over when it opens: connections, known addresses, announcements. */
    synchronized Handover handOver() {
        handedOver = true;
        closeRegistration();
        connector.stop();
        Handover h = new Handover(new ArrayList<>(peers), connector.known(), discovery);
        peers.clear();
        discovery = null;
        return h;
    }

    /** The magnet side's connections and announcements, passed to the torrent once it is open. */
    record Handover(List<MagnetPeer> peers, Set<InetSocketAddress> known, Discovery.Binding discovery) {
        static final Handover NONE = new Handover(List.of(), Set.of(), null);

        void adoptInto(Torrent torrent) {
            for (MagnetPeer p : peers) {
                // The magnet held a connection slot for each; the torrent takes its own.
                torrent.engine.returnConnectionSlot();
                p.adopt(torrent);
            }
        }

        void closeAll(Engine engine, String reason) {
            for (MagnetPeer p : peers) {
                engine.returnConnectionSlot();
                p.connection.close(reason);
            }
            if (discovery != null) {
                discovery.close();
            }
        }
    }

    /** Stops with an error that happened after the metadata (the piece layers could not be had). */
    void fail(String why) {
        shutDown(TorrentState.ERROR, why);
    }

    /** The piece layers being fetched, or null (no v2-only metadata yet, or the torrent is open). */
    PieceLayerFetch layers() {
        return layers;
    }

    private TorrentEvent event(TorrentEvent.Kind kind, String message) {
        return new TorrentEvent(kind, magnet.infoHash(), state, -1, message);
    }

    @Override
    public String toString() {
        return name;
    }
}
