package io.piecework.webseed.internal;

import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.wire.Handshake;
import io.piecework.wire.PeerId;
import io.piecework.transport.PeerHandler;
import io.piecework.transport.TorrentPeers;
import io.piecework.transport.TorrentRegistration;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web seeds of one torrent: checks its url-list, and for each usable entry (http or https,
 * at most {@link WebSeedSettings#maxSeedsPerTorrent()}) resolves the host and hands the torrent
 * a {@link WebSeedConnection}. A seed the torrent refuses (it is full), or that drops itself
 * for an error (a server down, 404, a broken response), is connected again later, after
 * {@link WebSeedSettings#reconnect} (30 s doubling up to 30 min; a seed that delivered blocks
 * starts the count again). A seed the engine closed (banned for bad data, or no longer needed)
 * is not tried again while the torrent runs.
 */
final class WebSeeds implements TorrentRegistration {
    private static final Logger LOG = LoggerFactory.getLogger(WebSeeds.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TorrentMetainfo metainfo;
    private final TorrentPeers torrent;
    private final RangeClient client;
    private final Supplier<WebSeedSettings> settings;
    private final Executor pool;
    private final ScheduledExecutorService timer;
    // Guarded by this.
    private final List<WebSeedConnection> connections = new ArrayList<>();
    private final Map<URI, Integer> drops = new HashMap<>();
    private boolean closed;

    WebSeeds(TorrentMetainfo metainfo, TorrentPeers torrent, Supplier<HttpClient> http,
             Supplier<WebSeedSettings> settings, Executor pool, ScheduledExecutorService timer) {
        this.metainfo = metainfo;
        this.torrent = torrent;
        this.client = new RangeClient(http, settings);
        this.settings = settings;
        this.pool = pool;
        this.timer = timer;
    }

    /** The url-list entries worth a connection: valid, http(s), no duplicates, within the cap. */
    static List<URI> usable(List<String> urls, int max, String torrentName) {
        Set<URI> out = new LinkedHashSet<>();
        for (String url : urls) {
            if (out.size() >= max) {
                LOG.info("{}: using the first {} web seeds of {}", torrentName, max, urls.size());
                break;
            }
            try {
                out.add(WebSeedUrls.base(url));
            } catch (IllegalArgumentException e) {
                LOG.info("{}: web seed {} skipped: {}", torrentName, url, e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    /** Starts every usable seed on the pool; returns at once. */
    WebSeeds start() {
        for (URI base : usable(metainfo.webSeeds(), settings.get().maxSeedsPerTorrent(), metainfo.name())) {
            pool.execute(() -> connect(base));
        }
        return this;
    }

    private void connect(URI base) {
        InetSocketAddress address;
        try {
            int port = base.getPort() > 0 ? base.getPort() : base.getScheme().equalsIgnoreCase("https") ? 443 : 80;
            address = new InetSocketAddress(InetAddress.getByName(base.getHost()), port);
        } catch (UnknownHostException | SecurityException e) {
            LOG.info("{}: web seed {} skipped: cannot resolve {}", metainfo.name(), base, base.getHost());
            again(base, 0);
            return;
        }
        URI[] urls = new URI[metainfo.files().size()];
        for (int i = 0; i < urls.length; i++) {
            FileEntry f = metainfo.files().get(i);
            urls[i] = f.padding() ? null : WebSeedUrls.file(base, metainfo, f);
        }
        Handshake handshake = new Handshake(new byte[8], metainfo.infoHash(), PeerId.generate("-WS0001-", RANDOM));
        WebSeedConnection c = new WebSeedConnection(base.toString(), metainfo, urls, address, handshake, client,
                settings, pool, timer);
        synchronized (this) {
            if (closed) {
                return;
            }
            connections.removeIf(WebSeedConnection::isClosed);
            connections.add(c);
        }
        PeerHandler handler = torrent.connected(c);
        if (handler == null) {
            LOG.info("{}: web seed {} refused by the torrent", metainfo.name(), base);
            again(base, 0);
            return;
        }
        c.onError(() -> again(base, c.delivered()));
        LOG.info("{}: web seed {} connected", metainfo.name(), base);
        c.start(handler);
    }

    /** Connects to {@code base} again after the backoff, unless the torrent stopped meanwhile. */
    private void again(URI base, int delivered) {
        long wait;
        synchronized (this) {
            if (closed) {
                return;
            }
            int n = delivered > 0 ? 1 : drops.merge(base, 1, Integer::sum);
            drops.put(base, n);
            wait = settings.get().reconnect(n).toMillis();
        }
        LOG.info("{}: web seed {} tried again in {} s", metainfo.name(), base, wait / 1000.0);
        try {
            timer.schedule(() -> pool.execute(() -> {
                if (!isClosed()) {
                    connect(base);
                }
            }), wait, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the component is going away
        }
    }

    /** The torrent stopped: no new connections (it closed those it took); live ones are left to it. */
    @Override
    public synchronized void close() {
        closed = true;
    }

    /** The component goes away or is turned off: every connection of this torrent closes. */
    void closeAll(String why) {
        List<WebSeedConnection> open;
        synchronized (this) {
            closed = true;
            open = List.copyOf(connections);
        }
        open.forEach(c -> c.close(why));
    }

    synchronized boolean isClosed() {
        return closed;
    }
}
