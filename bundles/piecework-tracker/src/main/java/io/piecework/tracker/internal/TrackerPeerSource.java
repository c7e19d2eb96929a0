package io.piecework.tracker.internal;

import io.piecework.api.discovery.AnnounceTarget;
import io.piecework.api.discovery.Announcement;
import io.piecework.api.discovery.PeerSink;
import io.piecework.api.discovery.PeerSource;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.tracker.ScrapeStats;
import io.piecework.tracker.TrackerException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracker {@link PeerSource}: HTTP(S) and UDP trackers with BEP 12 tiers. Owns a
 * scheduler thread for announce timing, a small pool for HTTP and name resolution, and one
 * UDP socket; all are shut down on deactivation, after the stopped announces went out.
 */
@Component(service = PeerSource.class, property = PeerSource.NAME_PROPERTY + "=tracker",
        configurationPid = "io.piecework.tracker")
@Designate(ocd = TrackerPeerSource.Config.class)
public final class TrackerPeerSource implements PeerSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrackerPeerSource.class);
    /** The peer transport's configuration, whose {@code listen.address} the UDP socket follows. */
    static final String TRANSPORT_PID = "io.piecework.wire.transport";

    @ObjectClassDefinition(name = "Piecework trackers", description = "Announces torrents to HTTP and UDP trackers")
    public @interface Config {
        @AttributeDefinition(description = "Peers asked for per announce")
        int numwant() default 50;

        @AttributeDefinition(description = "HTTP connect and request timeout (ms)")
        int http_timeout_ms() default 30_000;

        @AttributeDefinition(description = "HTTP redirects followed (to http and https only)")
        int max_redirects() default 5;

        @AttributeDefinition(description = "Largest tracker response read (bytes)")
        int max_response_bytes() default 1 << 20;

        @AttributeDefinition(description = "Most peers kept from one response")
        int max_peers() default 1000;

        @AttributeDefinition(description = "UDP retransmission base (ms): resend after base * 2^n. BEP 15 says "
                + "15 s with n up to 8, which holds a dead tracker for about two hours before the next tier is "
                + "tried; a client wants peers in seconds, so the default is 3 s (3, 6, 12 s: 21 s in all)")
        int udp_retransmit_base_ms() default 3_000;

        @AttributeDefinition(description = "UDP retransmissions before giving up on a tracker (BEP 15 allows 8; "
                + "2 by default so a dead UDP tracker costs about 21 s, not hours)")
        int udp_max_retransmits() default 2;

        @AttributeDefinition(description = "Announce interval when a tracker gives none (s)")
        int default_interval_s() default 1800;

        @AttributeDefinition(description = "Least time between announces, and floor under tracker intervals (s)")
        int min_interval_s() default 30;

        @AttributeDefinition(description = "First retry after every tracker failed (s); doubles up to the default interval")
        int retry_interval_s() default 60;

        @AttributeDefinition(description = "How long deactivation waits for stopped announces (ms)")
        int stop_timeout_ms() default 5_000;

        @AttributeDefinition(description = "Local address of the UDP tracker socket, e.g. the peer transport's "
                + "listen.address 127.0.0.1; empty: the transport's listen.address, or every address (IPv4 and IPv6) "
                + "when that is the wildcard or unset")
        String bind_address() default "";
    }

    private final TrackerSettings settings;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService blocking;
    private final HttpTracker http;
    private final UdpTracker udp;
    private final Set<TrackerAnnouncement> live = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();

    /**
     * With no {@code bind.address} of its own, the UDP socket follows the transport's
     * {@code listen.address}, read from its configuration, so an engine kept on loopback opens
     * no tracker socket on every interface. (One component cannot take both PIDs: bnd's
     * metatype designation wants exactly one.)
     */
    @Activate
    public TrackerPeerSource(Config config,
                             @Reference(cardinality = ReferenceCardinality.OPTIONAL,
                                     policyOption = ReferencePolicyOption.GREEDY) ConfigurationAdmin configurations)
            throws IOException {
        this(config, transportProperties(configurations));
    }

    /** @param transport the peer transport's configuration properties (its {@code listen.address}) */
    public TrackerPeerSource(Config config, Map<String, Object> transport) throws IOException {
        this(TrackerSettings.from(config, transport.get("listen.address")));
    }

    public TrackerPeerSource(Config config) throws IOException {
        this(config, Map.of());
    }

    private static Map<String, Object> transportProperties(ConfigurationAdmin configurations) {
        if (configurations == null) {
            return Map.of();
        }
        try {
            Configuration[] found = configurations.listConfigurations(
                    "(" + Constants.SERVICE_PID + "=" + TRANSPORT_PID + ")");
            Dictionary<String, Object> p = found == null || found.length == 0 ? null : found[0].getProperties();
            Object address = p == null ? null : p.get("listen.address");
            return address == null ? Map.of() : Map.of("listen.address", address);
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("cannot read the transport's configuration {}: {}", TRANSPORT_PID, e.getMessage());
            return Map.of();
        }
    }

    public TrackerPeerSource(TrackerSettings settings) throws IOException {
        this.settings = settings;
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, daemon("piecework-tracker"));
        s.setRemoveOnCancelPolicy(true);
        this.scheduler = s;
        this.blocking = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemon("piecework-tracker-io"));
        ((ThreadPoolExecutor) blocking).allowCoreThreadTimeOut(true);
        this.http = new HttpTracker(settings, blocking);
        this.udp = new UdpTracker(settings, scheduler, blocking);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public Announcement announce(AnnounceTarget torrent, PeerSink sink) {
        TrackerAnnouncement a = new TrackerAnnouncement(torrent, sink, this::client, scheduler, settings, random,
                live::remove);
        live.add(a);
        a.start();
        return a;
    }

    TrackerClient client(URI tracker) {
        String scheme = tracker.getScheme() == null ? "" : tracker.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "http":
            case "https":
                return http;
            case "udp":
                return udp;
            default:
                return null;
        }
    }

    /** Scrapes one tracker (BEP 48 over HTTP, BEP 15 over UDP). */
    public CompletableFuture<Map<InfoHash, ScrapeStats>> scrape(URI tracker, List<InfoHash> hashes) {
        TrackerClient c = client(tracker);
        if (c == null) {
            return CompletableFuture.failedFuture(new TrackerException("unsupported tracker " + tracker, false));
        }
        return c.scrape(tracker, hashes);
    }

    @Deactivate
    @Override
    public void close() {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (TrackerAnnouncement a : live) {
            a.close();
            stops.add(a.stopped());
        }
        live.clear();
        try {
            CompletableFuture.allOf(stops.toArray(new CompletableFuture<?>[0]))
                    .get(settings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.info("stopped announces still pending after {}", settings.stopTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("stopped announces", e);
        }
        scheduler.shutdownNow();
        udp.close();
        blocking.shutdownNow();
    }

    TrackerSettings settings() {
        return settings;
    }

    /** Where the UDP tracker socket is bound. */
    InetSocketAddress udpLocalAddress() {
        return udp.localAddress();
    }
}
