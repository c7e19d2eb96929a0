package io.piecework.loadtest.internal;

import io.piecework.api.bitmap.BitmapPool;
import io.piecework.api.bitmap.PoolStats;
import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.strategy.RequestStrategy;
import io.piecework.loadtest.LoadTest;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The load test on the engine as the distribution runs it: the {@link TorrentEngine} service
 * with its configuration and storage provider, the strategy switched through
 * {@code strategy.target} as {@code piecework:strategy} does.
 */
// A run with --inbound dials each torrent's peers on its state change (StateChanges, on the
// engine's whiteboard) instead of polling the states.
@Component(service = LoadTest.class)
public final class LoadTestComponent implements LoadTest {
    /** The fake peers' event loops: as many as the engine's transport has by default. */
    private static final int PEER_THREADS = 2;
    private static final int CALIBRATION_CONNECTIONS = 500;
    /** The payload's random seed: a child JVM's fake peers generate the same bytes from it. */
    private static final long PAYLOAD_SEED = 42;
    private final TorrentEngine engine;
    private final MetainfoService metainfo;
    private final EngineConfig config;
    private final Map<RequestStrategy, String> strategies = new ConcurrentHashMap<>();
    private final StateChanges states;
    private final BundleContext context;

    @Activate
    public LoadTestComponent(@Reference TorrentEngine engine, @Reference MetainfoService metainfo,
                             @Reference ConfigurationAdmin configurations, @Reference StateChanges states,
                             BundleContext context) {
        this.context = context;
        this.states = states;
        this.engine = engine;
        this.metainfo = metainfo;
        this.config = new EngineConfig(configurations, engine);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addStrategy(RequestStrategy strategy, Map<String, Object> properties) {
        strategies.put(strategy, String.valueOf(properties.get(RequestStrategy.NAME_PROPERTY)));
    }

    void removeStrategy(RequestStrategy strategy) {
        strategies.remove(strategy);
    }

    /** The engine's bitmap pool's counters, null without one; looked up when a run asks (it is optional). */
    private PoolStats poolStats() {
        ServiceReference<BitmapPool> ref = context.getServiceReference(BitmapPool.class);
        BitmapPool pool = ref == null ? null : context.getService(ref);
        if (pool == null) {
            return null;
        }
        try {
            return pool.stats();
        } finally {
            context.ungetService(ref);
        }
    }

    @Override
    public void run(List<String> args, PrintStream out, PrintStream err, Path cwd) throws IOException, InterruptedException {
        Options o = Options.parse(args);
        List<String> names = chosen(o);
        if (o.inbound() && engine.listenPort() <= 0) {
            throw new IllegalStateException("--inbound: the engine does not listen (listen.port is -1)");
        }
        config.checkLimits(o);
        Descriptors.check(o, o.fork() ? 0 : CALIBRATION_CONNECTIONS);
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Payload payload = new Payload(o.payloadBytes(), o.pieceLength(), PAYLOAD_SEED);
        Path dir = Files.createTempDirectory("piecework-loadtest-");
        String original = config.strategyTarget();
        List<Result> results = new ArrayList<>();
        try (FakePeers swarm = o.fork() ? new RemoteSwarm(payload, PAYLOAD_SEED, PEER_THREADS, bundleJars())
                : new FakeSwarm(payload, PEER_THREADS)) {
            List<TorrentMetainfo> torrents = new ArrayList<>();
            Map<TorrentMetainfo, List<InetSocketAddress>> peers = new HashMap<>();
            for (int i = 0; i < o.torrents(); i++) {
                TorrentMetainfo t = parse(payload.torrent(String.format(Locale.ROOT, "loadtest-%05d", i)));
                torrents.add(t);
                peers.put(t, o.inbound() ? List.of() : ((FakeSwarm) swarm).seed(t.infoHash(), o.peers()));
            }
            long fakeEnd = 0;
            if (swarm instanceof FakeSwarm here) {
                fakeEnd = here.calibrate(CALIBRATION_CONNECTIONS);
                err.printf(Locale.ROOT, "%d fake peers on 127.1.0.1 onwards; %d bytes of heap per fake connection end%n",
                        o.connections(), fakeEnd);
            } else {
                err.printf(Locale.ROOT, "%d fake peers on 127.1.0.1 onwards, in a JVM of their own (pid %d)%n",
                        o.connections(), ((RemoteSwarm) swarm).pid());
            }
            Run run = new Run(engine, torrents, peers, swarm, o, fakeEnd, err, states, this::poolStats);
            for (String name : names) {
                config.useStrategy(name);
                err.println("strategy " + name + ": downloading");
                Result r = run.run(name, dir);
                err.printf(Locale.ROOT, "strategy %s: %.2f s, %.1f MiB/s, lock wait %.3f%% of wall, idle CPU %.2f%% of a core%n",
                        name, r.downloadNanos() / 1e9, r.throughputMiBps(), r.waitPercentOfWall(), r.idleCpuPercentOfCore());
                if (swarm.redials() > 0) {
                    err.printf(Locale.ROOT, "  %d connects of the fake peers failed and were tried again so far%n", swarm.redials());
                }
                if (swarm.violation() != null) {
                    throw new IllegalStateException("a fake peer saw a protocol violation from the engine: " + swarm.violation());
                }
                results.add(r);
            }
        } finally {
            config.restoreStrategy(original);
            payload.release();
            delete(dir);
        }
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        String description = describe(o, payload, dir, loadBefore, loadAfter);
        Report.table(description, results, out);
        if (o.csv().isPresent()) {
            Report.csv(description, results, cwd.resolve(o.csv().get()));
        }
    }

    /**
     * The jars of the installed bundles (the launcher installs them by reference to their
     * files): the child JVM's classpath, which holds this bundle, the wire codec, Netty,
     * RoaringBitmap and SLF4J among others.
     */
    private List<Path> bundleJars() {
        List<Path> jars = new ArrayList<>();
        for (org.osgi.framework.Bundle b : context.getBundles()) {
            String location = b.getLocation().replaceFirst("^reference:", "");
            if (location.startsWith("file:") && location.endsWith(".jar")) {
                jars.add(Path.of(java.net.URI.create(location)));
            }
        }
        if (jars.isEmpty()) {
            throw new IllegalStateException("--fork: no bundle was installed from a jar file; cannot start the fake swarm's JVM");
        }
        return jars;
    }

    private TorrentMetainfo parse(byte[] torrent) {
        try {
            return metainfo.parse(torrent);
        } catch (InvalidTorrentException e) {
            throw new IllegalStateException("the generated torrent does not parse: " + e.getMessage(), e);
        }
    }

    private List<String> chosen(Options o) {
        TreeSet<String> installed = new TreeSet<>(strategies.values());
        if (installed.isEmpty()) {
            throw new IllegalStateException("no request strategy is installed");
        }
        if (o.strategies().isEmpty()) {
            return List.copyOf(installed);
        }
        for (String s : o.strategies()) {
            if (!installed.contains(s)) {
                throw new IllegalArgumentException("no strategy '" + s + "'; installed: " + String.join(" ", installed));
            }
        }
        return o.strategies();
    }

    private String describe(Options o, Payload p, Path dir, double loadBefore, double loadAfter)
            throws IOException {
        return String.format(Locale.ROOT,
                "%d torrents x %d peers, %d MiB each (%d pieces of %d KiB), %s, file storage under %s, churn %s,"
                        + " %d s idle, max.connections %s; %d cores, load average %.2f before, %.2f after; Java %s",
                o.torrents(), o.peers(), o.sizeMiB(), p.pieceCount(), o.pieceKiB(),
                (o.inbound() ? "the peers dial the engine" : "the engine dials the peers")
                        + (o.fork() ? " from a JVM of their own" : ""), dir.getParent(),
                o.churn() == 0 ? "none" : Report.fixed(o.churn(), 2) + "/s", o.idleSeconds(),
                o.maxConnections() == 0 ? config.maxConnections() + " (configured)" : o.maxConnections() + " (raised for this run)",
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter, System.getProperty("java.version"));
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
