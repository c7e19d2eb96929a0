package io.piecework.webseed.internal;

import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.transport.ConnectionSource;
import io.piecework.transport.TorrentPeers;
import io.piecework.transport.TorrentRegistration;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Web seeds (BEP 19) as a {@link ConnectionSource}: the engine hands it every torrent that
 * starts, and each http(s) entry of the torrent's url-list becomes a peer connection served by
 * range requests. One {@link HttpClient} for all, built when the first torrent with web seeds
 * starts (rebuilt when the connect timeout changes); every other setting applies to the next
 * request. Not at activation: building it sets up the JDK's TLS (the trust store's certificates
 * parsed), about 0.25 s of a start-up that downloads from peers only, and the compiler's work
 * for that code then lands in the download.
 */
@Component(service = ConnectionSource.class, configurationPid = "io.piecework.webseed",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = WebSeedComponent.Config.class)
public final class WebSeedComponent implements ConnectionSource {
    private static final Logger LOG = LoggerFactory.getLogger(WebSeedComponent.class);

    @ObjectClassDefinition(name = "Piecework web seeds",
            description = "Downloads pieces from the HTTP(S) servers in a torrent's url-list (BEP 19)")
    public @interface Config {
        @AttributeDefinition(description = "Use the web seeds of torrents")
        boolean enabled() default true;

        @AttributeDefinition(description = "Range requests under way at once per web seed and torrent (1-16)")
        int max_requests_per_seed() default 4;

        @AttributeDefinition(description = "Most KiB one range request asks for (16-16384)")
        int max_range_kib() default 1024;

        @AttributeDefinition(description = "Seconds to connect to a web seed")
        int connect_timeout_s() default 10;

        @AttributeDefinition(description = "Seconds for one range request, its body included")
        int request_timeout_s() default 20;

        @AttributeDefinition(description = "Redirects followed for one request (0-10)")
        int max_redirects() default 5;

        @AttributeDefinition(description = "Failures in a row (503, refused, timed out) before a web seed is dropped")
        int max_retries() default 5;

        @AttributeDefinition(description = "Web seeds used per torrent, the first in its url-list")
        int max_seeds_per_torrent() default 8;

        @AttributeDefinition(description = "Seconds before a web seed dropped for an error is tried again; doubles "
                + "per drop in a row up to 30 min. A seed the engine dropped (bad data) is not tried again")
        int reconnect_s() default 30;
    }

    private final ExecutorService pool = Executors.newCachedThreadPool(daemons("piecework-webseed-"));
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(daemons("piecework-webseed-timer-"));
    private final Set<WebSeeds> attached = ConcurrentHashMap.newKeySet();
    private volatile WebSeedSettings settings;
    /** Null until a torrent with web seeds asks for it, and again after a new connect timeout. */
    private HttpClient http;

    @Activate
    public WebSeedComponent(Config config) {
        this(settings(config));
    }

    WebSeedComponent(WebSeedSettings settings) {
        this.settings = settings;
    }

    static WebSeedSettings settings(Config c) {
        return new WebSeedSettings(c.enabled(), clamp(c.max_requests_per_seed(), 1, 16),
                clamp(c.max_range_kib(), 16, 16 * 1024) * 1024, Duration.ofSeconds(clamp(c.connect_timeout_s(), 1, 300)),
                Duration.ofSeconds(clamp(c.request_timeout_s(), 1, 600)), clamp(c.max_redirects(), 0, 10),
                clamp(c.max_retries(), 0, 100), WebSeedSettings.DEFAULTS.firstBackoff(),
                clamp(c.max_seeds_per_torrent(), 0, 64), Duration.ofSeconds(clamp(c.reconnect_s(), 1, 3600)));
    }

    @Modified
    void modified(Config config) {
        WebSeedSettings next = settings(config);
        synchronized (this) {
            if (!next.connectTimeout().equals(settings.connectTimeout())) {
                http = null;
            }
            settings = next;
        }
        if (!next.enabled()) {
            closeAll("web seeds turned off");
        }
    }

    @Override
    public TorrentRegistration attach(TorrentMetainfo metainfo, TorrentPeers torrent) {
        WebSeedSettings s = settings;
        if (!s.enabled() || metainfo.webSeeds().isEmpty()) {
            return () -> { };
        }
        WebSeeds seeds = new WebSeeds(metainfo, torrent, this::client, () -> settings, pool, timer);
        attached.add(seeds);
        attached.removeIf(WebSeeds::isClosed); // the torrents that stopped since
        return seeds.start();
    }

    @Deactivate
    void deactivate() {
        closeAll("web seeds stopped");
        timer.shutdownNow();
        pool.shutdownNow();
    }

    private void closeAll(String why) {
        for (WebSeeds seeds : attached) {
            seeds.closeAll(why);
        }
        attached.clear();
    }

    /** The client, built on first use (once a range request is to go out). */
    synchronized HttpClient client() {
        if (http == null) {
            // Redirects are followed by RangeClient, which counts them and checks their schemes.
            http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                    .followRedirects(HttpClient.Redirect.NEVER).executor(pool).build();
        }
        return http;
    }

    /** Whether the client has been built (for tests). */
    synchronized boolean hasClient() {
        return http != null;
    }

    private static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
