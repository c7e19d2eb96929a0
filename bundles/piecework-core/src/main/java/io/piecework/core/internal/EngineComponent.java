package io.piecework.core.internal;

import io.piecework.api.bitmap.BitmapPool;
import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.EngineStats;
import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentEngineFactory;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentListener;
import io.piecework.api.discovery.PeerSource;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.MagnetLink;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.storage.StorageProvider;
import io.piecework.api.strategy.RequestStrategy;
import io.piecework.transport.ConnectionSource;
import io.piecework.transport.PeerTransport;
import io.piecework.transport.PeerTransportFactory;
import java.util.concurrent.CopyOnWriteArrayList;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The engine as a DS component. The request strategy and the storage are dynamic, greedy
 * references: a better or re-targeted one replaces the current one while torrents run
 * ({@code strategy.target} in Config Admin picks it), and losing one pauses requesting or
 * stops torrents instead of restarting the engine.
 */
@Component(service = {TorrentEngine.class, TorrentEngineFactory.class}, immediate = true,
        configurationPid = "io.piecework.engine")
@Designate(ocd = EngineComponent.Config.class)
public final class EngineComponent implements TorrentEngine, TorrentEngineFactory {
    @ObjectClassDefinition(name = "Piecework engine", description = "Torrents, peers and requests")
    public @interface Config {
        @AttributeDefinition(description = "Peer transports to dial in this order (tcp, utp), each tried when the "
                + "one before fails; a peer known to speak uTP (PEX) is tried over uTP first")
        String[] peer_transports() default {"tcp", "utp"};

        @AttributeDefinition(description = "Connections per torrent")
        int max_peers_per_torrent() default 50;

        @AttributeDefinition(description = "Connections across all torrents")
        int max_connections() default 500;

        @AttributeDefinition(description = "Regular upload slots per torrent")
        int upload_slots() default 4;

        @AttributeDefinition(description = "Seconds between choking rounds")
        int choke_round_seconds() default 10;

        @AttributeDefinition(description = "Threads reading and writing blocks")
        int disk_threads() default 2;

        @AttributeDefinition(description = "Seconds between peer exchange (ut_pex) messages to a peer; BEP 11 asks for at least 60")
        int pex_interval_seconds() default 60;

        @AttributeDefinition(description = "Peer addresses a torrent remembers to dial (trackers, DHT, PEX); "
                + "once full, PEX addresses make room for the others and further PEX addresses are dropped")
        int max_known_peers() default 2000;

        @AttributeDefinition(description = "Outgoing connection attempts under way across the engine (half-open dials); "
                + "each also counts against its torrent's and the engine's connection limits")
        int max_dials_in_flight() default 10;

        @AttributeDefinition(description = "Connections per torrent from one IP address; 0 leaves only max_peers_per_torrent")
        int max_peers_per_ip() default 2;

        @AttributeDefinition(description = "Connections per torrent from one loopback address (all local clients share it); "
                + "0 leaves only max_peers_per_torrent")
        int max_peers_per_loopback_ip() default 0;

        @AttributeDefinition(description = "Seconds after which a peer that sent nothing but keep-alives, and that neither "
                + "side is interested in, is disconnected; 0 never")
        int idle_peer_seconds() default 120;

        @AttributeDefinition(description = "Send uploaded blocks straight from their files (sendfile) instead of copying them; "
                + "slower for 16 KiB blocks on loopback, and it reads the disk on the network thread")
        boolean send_from_files() default false;

        @AttributeDefinition(description = "Download rate of all torrents together (KiB/s); 0 is unlimited", min = "0")
        int download_limit_kib() default 0;

        @AttributeDefinition(description = "Upload rate of all torrents together (KiB/s); 0 is unlimited", min = "0")
        int upload_limit_kib() default 0;

        @AttributeDefinition(description = "Alternative (turtle) download rate, used instead while turtle is on (KiB/s); "
                + "0 is unlimited", min = "0")
        int turtle_download_limit_kib() default 50;

        @AttributeDefinition(description = "Alternative (turtle) upload rate, used instead while turtle is on (KiB/s); "
                + "0 is unlimited", min = "0")
        int turtle_upload_limit_kib() default 50;

        @AttributeDefinition(description = "Use the turtle rates instead of the normal ones")
        boolean turtle() default false;

        @AttributeDefinition(description = "Filter choosing the request strategy, e.g. (strategy.name=cached)")
        String strategy_target() default "(strategy.name=*)";

        @AttributeDefinition(description = "Filter choosing the storage provider")
        String storage_target() default "(storage.name=file)";
    }

    private final Engine engine;
    /** Every PeerTransport service, the bound one first: what the engine dials and accepts on. */
    private final Transports peerTransports;
    private volatile EngineSettings settings;
    private final PeerTransportFactory transports;
    private final List<Engine> extra = new CopyOnWriteArrayList<>();
    private volatile RequestStrategy boundStrategy;
    private volatile io.piecework.api.discovery.DhtNode boundDht;
    private volatile String boundStrategyName;
    private volatile StorageProvider boundStorage;
    private final Map<PeerSource, String> sources = new java.util.concurrent.ConcurrentHashMap<>();
    private final Set<ConnectionSource> connectionSources = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile GlobalRates rates = GlobalRates.UNLIMITED;

    @Activate
    public EngineComponent(@Reference(name = "transport") PeerTransport transport,
                           @Reference(name = "transports") PeerTransportFactory transports, Config config) {
        this.transports = transports;
        this.settings = settingsOf(config);
        this.peerTransports = new Transports(transport, Transports.TCP);
        peerTransports.preference(List.of(config.peer_transports()));
        this.engine = new Engine(peerTransports, settings);
        limit(GlobalRates.from(config));
    }

    /** An extra engine sharing this one's storage and strategy; closing it closes its transport. */
    @Override
    public OwnedEngine create(String listenAddress, int listenPort) throws IOException {
        PeerTransportFactory.OwnedPeerTransport transport = transports.open(listenAddress, listenPort);
        Engine created = new Engine(transport, settings, transport::close);
        rates.applyTo(transport);
        created.useStorage(boundStorage);
        created.useStrategy(boundStrategy, boundStrategyName);
        created.useDht(boundDht);
        sources.forEach(created::addSource);
        connectionSources.forEach(created::addConnectionSource);
        extra.add(created);
        created.onClose(() -> extra.remove(created));
        return created;
    }

    /**
     * Target filters are applied by SCR itself (rebinding the references); keeping this method
     * stops a configuration change from restarting the engine and its torrents. Rate limits
     * apply at once to open connections.
     */
    @Modified
    void modified(Config config) {
        peerTransports.preference(List.of(config.peer_transports()));
        limit(GlobalRates.from(config));
        EngineSettings next = settingsOf(config);
        settings = next;
        engine.settings(next);
        extra.forEach(e -> e.settings(next));
    }

    private static EngineSettings settingsOf(Config config) {
        return new EngineSettings(config.max_peers_per_torrent(), config.max_connections(),
                config.upload_slots(), config.choke_round_seconds(), config.disk_threads(),
                config.pex_interval_seconds(), config.send_from_files(),
                new PeerLimits(config.max_known_peers(), config.max_dials_in_flight(), config.max_peers_per_ip(),
                        config.max_peers_per_loopback_ip(), config.idle_peer_seconds()));
    }

    private void limit(GlobalRates limits) {
        rates = limits;
        limits.applyTo(engine.transport());
        extra.forEach(e -> limits.applyTo(e.transport()));
    }

    /** Transports besides the bound one (uTP): torrents are registered with them at once, dials may use them. */
    @Reference(name = "peerTransports", service = PeerTransport.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, target = "(transport.protocol=*)")
    void addPeerTransport(PeerTransport transport, Map<String, Object> properties) {
        peerTransports.add(String.valueOf(properties.get("transport.protocol")), transport);
    }

    void removePeerTransport(PeerTransport transport) {
        peerTransports.remove(transport);
    }

    @Reference(name = "strategy", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStrategy(RequestStrategy strategy, Map<String, Object> properties) {
        boundStrategy = strategy;
        boundStrategyName = String.valueOf(properties.get(RequestStrategy.NAME_PROPERTY));
        engine.useStrategy(strategy, boundStrategyName);
        extra.forEach(e -> e.useStrategy(strategy, boundStrategyName));
    }

    void unbindStrategy(RequestStrategy strategy) {
        if (boundStrategy == strategy) {
            boundStrategy = null;
            boundStrategyName = null;
            engine.useStrategy(null, null);
            extra.forEach(e -> e.useStrategy(null, null));
        }
    }

    @Reference(name = "storage", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStorage(StorageProvider provider) {
        boundStorage = provider;
        engine.useStorage(provider);
        extra.forEach(e -> e.useStorage(provider));
    }

    void unbindStorage(StorageProvider provider) {
        if (boundStorage == provider) {
            boundStorage = null;
            engine.useStorage(null);
            extra.forEach(e -> e.useStorage(null));
        }
    }

    /**
     * Peers' piece sets; whether it pools is the pool's own configuration. The transport takes
     * bitfields from the same service. Extra engines keep plain bitmaps: their transports do not.
     */
    @Reference(name = "bitmapPool", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindBitmapPool(BitmapPool pool) {
        engine.useBitmapPool(pool);
    }

    void unbindBitmapPool(BitmapPool pool) {
        engine.useBitmapPool(null);
    }

    /** Trackers, the DHT: every one announces every torrent; they come and go freely. */
    @Reference(name = "sources", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSource(PeerSource source, Map<String, Object> properties) {
        String name = String.valueOf(properties.getOrDefault(PeerSource.NAME_PROPERTY, ""));
        sources.put(source, name);
        engine.addSource(source, name);
        extra.forEach(e -> e.addSource(source, name));
    }

    void removeSource(PeerSource source) {
        sources.remove(source);
        engine.removeSource(source);
        extra.forEach(e -> e.removeSource(source));
    }

    /** Web seeds: connections made by other bundles, for every running torrent. */
    @Reference(name = "connectionSources", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addConnectionSource(ConnectionSource source) {
        connectionSources.add(source);
        engine.addConnectionSource(source);
        extra.forEach(e -> e.addConnectionSource(source));
    }

    void removeConnectionSource(ConnectionSource source) {
        connectionSources.remove(source);
        engine.removeConnectionSource(source);
        extra.forEach(e -> e.removeConnectionSource(source));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(TorrentListener listener) {
        engine.addListener(listener);
    }

    void removeListener(TorrentListener listener) {
        engine.removeListener(listener);
    }

    @Reference(name = "dht", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDht(io.piecework.api.discovery.DhtNode node) {
        boundDht = node;
        engine.useDht(node);
        extra.forEach(e -> e.useDht(node));
    }

    void unbindDht(io.piecework.api.discovery.DhtNode node) {
        if (boundDht == node) {
            boundDht = null;
            engine.useDht(null);
            extra.forEach(e -> e.useDht(null));
        }
    }

    @Deactivate
    void deactivate() {
        extra.forEach(Engine::close);
        engine.close();
    }

    @Override
    public TorrentHandle add(TorrentMetainfo metainfo, AddOptions options) throws IOException {
        return engine.add(metainfo, options);
    }

    @Override
    public TorrentHandle add(MagnetLink magnet, AddOptions options) throws IOException {
        return engine.add(magnet, options);
    }

    @Override
    public Optional<TorrentHandle> find(InfoHash infoHash) {
        return engine.find(infoHash);
    }

    @Override
    public Optional<TorrentHandle> find(String infoHashPrefix) {
        return engine.find(infoHashPrefix);
    }

    @Override
    public List<TorrentHandle> torrents() {
        return engine.torrents();
    }

    @Override
    public EngineStats stats() {
        return engine.stats();
    }

    @Override
    public int listenPort() {
        return engine.listenPort();
    }

    @Override
    public Optional<String> strategy() {
        return engine.strategy();
    }
}
