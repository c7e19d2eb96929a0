package io.piecework.transport.utp.internal;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.udp.SharedUdpSocket;
import io.piecework.transport.MseRetry;
import io.piecework.transport.PeerConnection;
import io.piecework.transport.PeerTransport;
import io.piecework.transport.RateBudget;
import io.piecework.transport.TorrentPeers;
import io.piecework.transport.TorrentRegistration;
import io.piecework.wire.PeerId;
import io.piecework.wire.mse.EncryptionSettings;
import io.piecework.wire.mse.MseFilter;
import io.piecework.wire.mse.MseHandshake;
import io.piecework.wire.mse.MsePolicy;
import io.piecework.wire.mse.PolicySource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer wire protocol over uTP (BEP 29): one {@link UtpEndpoint} (one UDP socket, one event
 * loop) carries every connection, each a {@link UtpPeerConnection}. As libtorrent does, it
 * listens on the TCP transport's port number (UDP) and uses its peer id, so a peer sees one
 * client whichever transport it reaches: in a framework it is a companion of the TCP transport
 * (the {@link PeerTransport} without {@code transport.protocol=utp}), registered with a lower
 * ranking so that whoever wants one transport gets TCP. Its socket is offered to the DHT as a
 * {@link SharedUdpSocket} (datagrams starting with {@code d} are KRPC), so both can be on one
 * port as libtorrent's are. Configuration: the TCP transport's PID (listen address, timeouts) and
 * {@code io.piecework.transport.utp} (its own limits), later ones winning. Message stream
 * encryption follows the session's {@link EncryptionSettings} as on TCP: incoming streams are
 * told apart by their first bytes, and a dial that reaches the peer but gets no handshake back is
 * tried once more the other way ({@link MseRetry}).
 */
@Component(service = PeerTransport.class, immediate = true,
        configurationPid = {"io.piecework.wire.transport", "io.piecework.transport.utp"},
        property = {"transport.protocol=utp", "service.ranking:Integer=-10"})
public final class UtpPeerTransport implements PeerTransport, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UtpPeerTransport.class);
    /** How often connections are looked at for keep-alives, idleness and writability. */
    static final long TICK_MILLIS = 1000;
    /** Binds tried while a user of the shared socket lets go of its own on the port (DS may do that on another thread). */
    private static final int BIND_ATTEMPTS = 20;

    /** Read from the TCP transport's PID and {@code io.piecework.transport.utp}. */
    public @interface Config {
        String listen_address() default "0.0.0.0";

        /** Only -1 (do not listen) matters: uTP listens on the TCP transport's port. */
        int listen_port() default 6881;

        int handshake_timeout_ms() default 10_000;

        int keepalive_interval_ms() default 60_000;

        int idle_timeout_ms() default 180_000;

        int max_message_length() default 1 << 20;

        boolean dht() default true;

        /** uTP connections at once, incoming and outgoing. */
        int utp_max_connections() default 500;
    }

    /** Offers the socket to others before it is bound; returns how to withdraw the offer. */
    @FunctionalInterface
    public interface Offer {
        AutoCloseable publish(SharedUdpSocket socket);

        Offer NONE = socket -> () -> { };
    }

    private final UtpSettings settings;
    private final PeerId peerId;
    private final Supplier<RoaringBitmap> bitmaps;
    private final EventLoopGroup group = UdpIo.newGroup(1);
    private final UtpEndpoint endpoint;
    private final boolean listening;
    private final AutoCloseable offered;
    private final Map<InfoHash, TorrentPeers> torrents = new ConcurrentHashMap<>();
    /** Rate limits: the transport's, and each registered torrent's ({@link UtpRates}). */
    private final UtpRates.Limits limits = new UtpRates.Limits();
    private final Map<InfoHash, UtpRates.Limits> torrentLimits = new ConcurrentHashMap<>();
    /** HASH('req2', info-hash) of each registered torrent: how an MSE stream names its torrent. */
    private final Map<InfoHash, InfoHash> byReq2 = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final PolicySource encryption = new PolicySource();
    /** Open connections, on the event loop only. */
    private final Set<UtpPeerConnection> connections = new HashSet<>();
    private final ScheduledFuture<?> ticker;

    @Activate
    public UtpPeerTransport(@Reference(target = "(!(transport.protocol=utp))") PeerTransport tcp, Config config,
                            BundleContext context) throws IOException {
        this(UtpSettings.from(config), tcp.localPeerId(), tcp.port(), RoaringBitmap::new, socket -> {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("udp.port", socket.localAddress().getPort());
            props.put("udp.address", socket.localAddress().getAddress().getHostAddress());
            ServiceRegistration<SharedUdpSocket> r = context.registerService(SharedUdpSocket.class, socket, props);
            return r::unregister;
        });
    }

    public UtpPeerTransport(UtpSettings settings, PeerId peerId, int tcpPort, Supplier<RoaringBitmap> bitmaps)
            throws IOException {
        this(settings, peerId, tcpPort, bitmaps, Offer.NONE);
    }

    /**
     * @param peerId  the id our handshakes carry (the TCP transport's, in a framework)
     * @param tcpPort the TCP transport's listen port, taken when {@code settings} say 0; -1 for none
     * @param offer   where the listening socket is offered for sharing, before it is bound (the
     *                DHT, holding the port in a socket of its own, then moves onto this one)
     */
    public UtpPeerTransport(UtpSettings settings, PeerId peerId, int tcpPort, Supplier<RoaringBitmap> bitmaps,
                            Offer offer) throws IOException {
        this.settings = settings;
        this.peerId = peerId;
        this.bitmaps = bitmaps;
        int port = settings.listenPort() != 0 ? settings.listenPort() : Math.max(tcpPort, 0);
        boolean listen = settings.listenPort() >= 0;
        InetSocketAddress local = new InetSocketAddress(settings.listenAddress(), listen ? port : 0);
        UdpShare share = listen && port > 0 ? new UdpShare(local) : null;
        this.offered = share != null ? offer.publish(share) : null;
        UtpEndpoint bound;
        try {
            bound = bind(local, share);
        } catch (IOException | RuntimeException e) {
            withdraw();
            if (!listen || port == 0) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                throw e;
            }
            // Another socket keeps the port (seen in CI when a framework restarted the transports
            // while the old socket was still closing): uTP still dials, as it did before it
            // shared its socket with the DHT, rather than leaving the engine without it.
            LOG.warn("uTP cannot listen on {} ({}); dialling only", local, e.getMessage());
            listen = false;
            try {
                bound = bind(new InetSocketAddress(settings.listenAddress(), 0), null);
            } catch (IOException | RuntimeException again) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                throw again;
            }
        }
        this.endpoint = bound;
        this.listening = listen;
        this.ticker = endpoint.eventLoop().scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS,
                TimeUnit.MILLISECONDS);
        if (listening) {
            LOG.info("accepting uTP peers on {}", endpoint.localAddress());
        }
    }

    private UtpEndpoint bind(InetSocketAddress local, UdpShare share) throws IOException {
        Exception failure = null;
        for (int attempt = 0; attempt < (share == null ? 1 : BIND_ATTEMPTS); attempt++) {
            try {
                if (attempt > 0) {
                    // The DHT heard the offer and is closing its socket on this port, perhaps on another thread.
                    Thread.sleep(100);
                }
                return UtpEndpoint.bind(group, local, this::accept, settings.maxConnections(), null, share);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = e;
                break;
            } catch (Exception e) {
                failure = e; // Netty throws the checked BindException undeclared
            }
        }
        throw new IOException("cannot bind uTP (UDP) on " + local + ": " + failure.getMessage(), failure);
    }

    private void withdraw() {
        if (offered != null) {
            try {
                offered.close();
            } catch (Exception e) {
                LOG.debug("withdrawing the shared UDP socket", e); // the framework is stopping
            }
        }
    }

    /** An incoming stream: its connection waits for the peer's handshake to name a torrent. */
    private UtpStream.Handler accept(UtpStream stream) {
        if (!listening || connections.size() >= settings.maxConnections()) {
            return null;
        }
        UtpPeerConnection connection = new UtpPeerConnection(this, null, new CompletableFuture<>(),
                MseFilter.incoming(encryption.current(), this::bySkey, random));
        connection.start(stream);
        return connection;
    }

    @Override
    public PeerId localPeerId() {
        return peerId;
    }

    @Override
    public int port() {
        return listening ? endpoint.localAddress().getPort() : -1;
    }

    @Override
    public TorrentRegistration register(InfoHash infoHash, TorrentPeers torrent) {
        if (torrents.putIfAbsent(infoHash, torrent) != null) {
            throw new IllegalStateException("torrent " + infoHash + " is already registered");
        }
        InfoHash req2 = InfoHash.of(MseHandshake.req2(infoHash));
        byReq2.put(req2, infoHash);
        UtpRates.Limits own = new UtpRates.Limits();
        torrentLimits.put(infoHash, own);
        return new TorrentRegistration() {
            @Override
            public void limitRates(long downloadBytesPerSecond, long uploadBytesPerSecond) {
                own.limit(downloadBytesPerSecond, uploadBytesPerSecond);
            }

            @Override
            public void limitRates(RateBudget download, RateBudget upload) {
                own.share(download, upload);
            }

            @Override
            public void close() {
                if (torrents.remove(infoHash, torrent)) {
                    byReq2.remove(req2, infoHash);
                    torrentLimits.remove(infoHash, own);
                }
                own.limit(0, 0); // its connections stay open, no longer limited as the torrent's
            }
        };
    }

    @Override
    public void limitRates(long downloadBytesPerSecond, long uploadBytesPerSecond) {
        limits.limit(downloadBytesPerSecond, uploadBytesPerSecond);
    }

    @Override
    public void limitRates(RateBudget download, RateBudget upload) {
        limits.share(download, upload);
    }

    UtpRates.Limits limits() {
        return limits;
    }

    /** A registered torrent's limits; unlimited ones for a torrent no longer registered. */
    UtpRates.Limits limits(InfoHash infoHash) {
        UtpRates.Limits l = torrentLimits.get(infoHash);
        return l != null ? l : new UtpRates.Limits();
    }

    /** The registered torrent an MSE stream asks for by HASH('req2', SKEY), or null. */
    private InfoHash bySkey(byte[] req2) {
        InfoHash infoHash = byReq2.get(InfoHash.of(req2));
        return infoHash != null && torrents.containsKey(infoHash) ? infoHash : null;
    }

    @Override
    public CompletableFuture<PeerConnection> connect(InfoHash infoHash, InetSocketAddress address) {
        if (!torrents.containsKey(infoHash)) {
            return CompletableFuture.failedFuture(new IllegalStateException("torrent " + infoHash + " is not registered"));
        }
        MsePolicy policy = encryption.current();
        return MseRetry.connect(policy, encrypted -> dial(infoHash, address,
                encrypted ? MseFilter.outgoing(policy, infoHash, random) : null));
    }

    /** One attempt, MSE first or not; retryable once the peer took the stream but sent no handshake. */
    private MseRetry.Attempt dial(InfoHash infoHash, InetSocketAddress address, MseFilter mse) {
        CompletableFuture<PeerConnection> result = new CompletableFuture<>();
        UtpPeerConnection connection = new UtpPeerConnection(this, infoHash, result, mse);
        AtomicBoolean reached = new AtomicBoolean();
        endpoint.connect(address, connection).whenComplete((stream, failure) -> {
            reached.set(failure == null);
            if (failure != null) {
                result.completeExceptionally(new IOException("uTP: cannot connect to " + address, failure));
            }
        });
        return new MseRetry.Attempt(result, () -> reached.get() && connection.remoteHandshake() == null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEncryption(EncryptionSettings settings) {
        encryption.bind(settings);
    }

    void unbindEncryption(EncryptionSettings settings) {
        encryption.unbind(settings);
    }

    /** Sets the policy for new connections over the configured one (tests, an engine without a framework). */
    public void encryption(MsePolicy policy) {
        encryption.override(policy);
    }

    private void tick() {
        long now = System.nanoTime();
        for (UtpPeerConnection c : new ArrayList<>(connections)) {
            c.tick(now);
        }
    }

    void opened(UtpPeerConnection connection) {
        connections.add(connection);
    }

    void closed(UtpPeerConnection connection) {
        connections.remove(connection);
    }

    TorrentPeers torrent(InfoHash infoHash) {
        return torrents.get(infoHash);
    }

    UtpSettings settings() {
        return settings;
    }

    Supplier<RoaringBitmap> bitmaps() {
        return bitmaps;
    }

    EventLoop eventLoop() {
        return endpoint.eventLoop();
    }

    void run(Runnable task) {
        endpoint.run(task);
    }

    /** Datagrams that were not uTP, since the start (for tests and diagnostics). */
    public long malformed() {
        return endpoint.malformed();
    }

    @Deactivate
    @Override
    public void close() {
        ticker.cancel(false);
        // The torrents hear their connections end; the peers get a FIN (or time out) as with a closed TCP socket.
        endpoint.eventLoop().submit(() -> new ArrayList<>(connections).forEach(c -> c.close("transport closed")))
                .awaitUninterruptibly(2, TimeUnit.SECONDS);
        endpoint.close();
        withdraw(); // after the close: the DHT goes back to a socket of its own, on the port now free
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
