package io.piecework.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Starts Felix from the distribution's folders. With no arguments: everything including
 * {@code shell/}, then waits until the shell stops the framework. With arguments: everything
 * but the shell, runs the subcommand through the {@code ToIntFunction} service with
 * {@code piecework.cli=true} and exits with its status. Each run has its own framework
 * storage in a temporary folder, so runs never clash. A quick subcommand (info, create,
 * magnet: {@code piecework.quick.subcommands}) gets fewer jars and exits without stopping the
 * framework, as nothing it started needs stopping; those listed in
 * {@code piecework.direct.subcommands} (by default the same three) run without the framework
 * at all ({@link DirectRun}). {@code daemon} starts what the shell does but the console, logs
 * to a file too ({@link DaemonLog}) and runs until SIGTERM or SIGINT; only the shell and the
 * daemon get the persistent session ({@code piecework.session.jars}) and the remote API
 * ({@code piecework.service.jars}).
 */
public final class Launcher {
    static final String CLI_FILTER = "(&(" + Constants.OBJECTCLASS + "=" + ToIntFunction.class.getName()
            + ")(piecework.cli=true))";
    private static final long START_TIMEOUT_S = 30;
    private static final long STOP_TIMEOUT_MS = 10_000;
    private static final long CONFIG_TIMEOUT_MS = 5_000;
    private static final String FILEINSTALL = "org.apache.felix.fileinstall";
    private static final boolean TIMING = System.getenv("PIECEWORK_TIMING") != null;
    private static final long T0 = System.nanoTime();

    private final Path home;
    private final Properties conf;
    /** Held strongly: java.util.logging forgets levels set on loggers nobody references. */
    private Logger julRoot;
    /** The shell or the daemon: both run until the framework stops; only the shell has a console. */
    private final boolean shell;
    private final RunMode mode;
    private Path storage;
    private Framework framework;
    /** True when the system bundle exports SLF4J from the class path: its bundles stay out. */
    private boolean classPathLogging;
    /** False for a quick subcommand: its output is out, nothing it started holds state. */
    private volatile boolean stopFramework = true;

    private Launcher(Path home, Properties conf, RunMode mode) {
        this.home = home;
        this.conf = conf;
        this.mode = mode;
        this.shell = !mode.subcommand();
    }

    public static void main(String[] args) {
        int status;
        try {
            Path home = home();
            Properties conf = conf(home);
            RunMode mode = RunMode.of(args);
            // info, magnet and create need no framework: they run from their jars (DirectRun).
            status = mode.subcommand() && DirectRun.applies(conf, args[0]) ? DirectRun.run(home, conf, args)
                    : new Launcher(home, conf, mode).run(args);
        } catch (RunMode.UsageException e) {
            System.err.println("piecework: " + e.getMessage());
            status = 2;
        } catch (Exception e) {
            System.err.println("piecework: could not start: " + e);
            status = 1;
        }
        System.exit(status);
    }

    private int run(String[] args) throws Exception {
        timing("launcher started");
        configureLogging();
        storage = Files.createTempDirectory(storageParent(), "piecework-felix-");
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "piecework-shutdown"));
        Map<String, Object> config = frameworkConfig();
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path (bin/felix.jar)"));
        @SuppressWarnings({"unchecked", "rawtypes"})
        Framework fw = factory.newFramework((Map) config);
        framework = fw;
        fw.init();
        timing("framework initialised");
        CountDownLatch started = new CountDownLatch(1);
        fw.getBundleContext().addFrameworkListener(e -> {
            if (e.getType() == FrameworkEvent.STARTED) {
                started.countDown();
            }
        });
        install(fw.getBundleContext(), args);
        timing("bundles installed");
        if (mode.daemon()) {
            Path log = DaemonLog.start(fw.getBundleContext());
            System.err.println("piecework: daemon started" + (log == null ? "" : "; logging to " + log));
        }
        // Start in two steps: the system level first (Config Admin, FileInstall, DS), then,
        // once load/'s configurations are in Config Admin, the project's bundles.
        fw.start();
        if (!started.await(START_TIMEOUT_S, TimeUnit.SECONDS)) {
            return notReady("the framework did not reach its start level");
        }
        timing("system started");
        Path load = Path.of(String.valueOf(fw.getBundleContext().getProperty("felix.fileinstall.dir")));
        // A quick subcommand runs without FileInstall: no configuration of load/ concerns it.
        if (installed(fw.getBundleContext(), FILEINSTALL)
                && !LoadedConfigurations.await(fw.getBundleContext(), load, CONFIG_TIMEOUT_MS)) {
            System.err.println("piecework: the configurations in " + load + " were not all loaded within "
                    + CONFIG_TIMEOUT_MS + " ms; starting anyway");
        }
        timing("configurations loaded");
        if (!shell) {
            java.util.Optional<Map<String, Object>> listen = ListenOverride.of(args);
            if (listen.isPresent()) {
                ConfigMerge.merge(fw.getBundleContext(), ListenOverride.PID, listen.get());
                java.util.Optional<Map<String, Object>> dhtPort = ListenOverride.dht(args, listen.get());
                if (dhtPort.isPresent()) {
                    ConfigMerge.merge(fw.getBundleContext(), DhtBootstrapOverride.PID, dhtPort.get());
                }
            }
            java.util.Optional<Map<String, Object>> engine = MaxConnectionsOverride.of(args);
            if (engine.isPresent()) {
                ConfigMerge.merge(fw.getBundleContext(), MaxConnectionsOverride.PID, engine.get());
            }
            java.util.Optional<Map<String, Object>> dht = DhtBootstrapOverride.of(args);
            if (dht.isPresent()) {
                ConfigMerge.merge(fw.getBundleContext(), DhtBootstrapOverride.PID, dht.get());
            }
        }
        CountDownLatch raised = new CountDownLatch(1);
        fw.adapt(FrameworkStartLevel.class).setStartLevel(mode.console() ? Layout.SHELL_LEVEL : Layout.BUNDLE_LEVEL,
                e -> raised.countDown());
        // All bundles have started (and their components registered) once the level is reached.
        if (!raised.await(START_TIMEOUT_S, TimeUnit.SECONDS)) {
            return notReady("the bundles did not start");
        }
        timing("bundles started");
        if (shell) {
            // The daemon runs until SIGTERM or SIGINT: the shutdown hook stops the framework.
            fw.waitForStop(0);
            shutdown();
            return 0;
        }
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(fw.getBundleContext(),
                fw.getBundleContext().createFilter(CLI_FILTER), null);
        tracker.open();
        try {
            Object runner = tracker.waitForService(TimeUnit.SECONDS.toMillis(START_TIMEOUT_S));
            if (runner == null) {
                return notReady("the subcommand runner did not appear");
            }
            timing("runner found");
            @SuppressWarnings("unchecked")
            ToIntFunction<String[]> cli = (ToIntFunction<String[]>) runner;
            int status = cli.applyAsInt(args);
            timing("subcommand done");
            return status;
        } finally {
            tracker.close();
            shutdown();
            timing(stopFramework ? "framework stopped" : "storage removed");
        }
    }

    private void install(BundleContext context, String[] args) throws IOException, BundleException {
        String early = String.valueOf(context.getProperty(Layout.EARLY));
        // Only the shell and the subcommands that need it get the engine and the network:
        // the others start faster and open no listening port that concurrent runs would
        // fight over.
        String network = String.valueOf(context.getProperty(Layout.NETWORK_SUBCOMMANDS));
        boolean online = shell || List.of(network.split("\\s*,\\s*")).contains(args[0]);
        String networkGlobs = String.valueOf(context.getProperty(Layout.NETWORK_JARS));
        String skipGlobs = online ? "" : networkGlobs;
        // The remote API serves a long-running shell or daemon: in a subcommand its fixed port
        // would clash between concurrent runs.
        if (!shell) {
            skipGlobs = skipGlobs + "," + context.getProperty(Layout.SERVICE_JARS);
        }
        // info, create and magnet need the metainfo service and the shell, little else: every
        // jar left out is one less to resolve, start and scan for components.
        if (!shell) {
            // One-shot runs keep no persistent session: they neither restore nor record torrents.
            skipGlobs = skipGlobs + "," + context.getProperty(Layout.SESSION_JARS);
        }
        if (!shell && List.of(String.valueOf(context.getProperty(Layout.QUICK_SUBCOMMANDS)).split("\\s*,\\s*"))
                .contains(args[0])) {
            skipGlobs = skipGlobs + "," + context.getProperty(Layout.QUICK_SKIP_JARS);
            stopFramework = false;
        }
        if (classPathLogging) {
            skipGlobs = skipGlobs + "," + context.getProperty(ClassPathLogging.SKIP_JARS);
        }
        // The load test and the strategy comparison serve their own subcommands (and help):
        // a get or seed does not resolve, start and activate them.
        if (!shell && !List.of(String.valueOf(context.getProperty(Layout.TOOL_SUBCOMMANDS)).split("\\s*,\\s*"))
                .contains(args[0])) {
            skipGlobs = skipGlobs + "," + context.getProperty(Layout.TOOL_JARS);
        }
        // A subcommand checks its input first and starts the network only when that is good
        // (NetworkStart), so bad input never opens a port nor logs about one.
        List<Bundle> deferred = new java.util.ArrayList<>();
        List<Bundle> late = new java.util.ArrayList<>();
        java.util.function.Predicate<Path> networkJars = Layout.matcher(networkGlobs);
        java.util.function.Predicate<Path> lateJars = Layout.matcher(String.valueOf(context.getProperty(Layout.LATE_JARS)));
        for (Layout.Jar jar : Layout.unread(home, early, mode.console(), skipGlobs)) {
            // reference: installs in place, without copying the jar into the storage folder.
            Bundle b = context.installBundle("reference:" + jar.path().toUri());
            b.adapt(BundleStartLevel.class).setStartLevel(jar.startLevel());
            // Fragments cannot be started; Felix has read the manifest that says so.
            boolean start = (b.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) == 0;
            if (start && !shell && networkJars.test(jar.path())) {
                (lateJars.test(jar.path()) ? late : deferred).add(b);
            } else if (start) {
                b.start();
            }
        }
        if (!deferred.isEmpty() || !late.isEmpty()) {
            NetworkStart.register(context, deferred, late);
        }
    }

    private static boolean installed(BundleContext context, String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return true;
            }
        }
        return false;
    }

    private int notReady(String why) {
        StringBuilder sb = new StringBuilder("piecework: " + why + " within " + START_TIMEOUT_S + " s");
        for (Bundle b : framework.getBundleContext().getBundles()) {
            if (b.getState() != Bundle.ACTIVE && b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                sb.append("; not active: ").append(b.getSymbolicName());
            }
        }
        System.err.println(sb);
        shutdown();
        return 1;
    }

    /** The distribution's conf/config.properties. */
    private static Properties conf(Path home) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(home.resolve("conf/config.properties"))) {
            p.load(in);
        }
        return p;
    }

    private Map<String, Object> frameworkConfig() throws IOException {
        Map<String, Object> config = new HashMap<>();
        for (String key : conf.stringPropertyNames()) {
            config.put(key, conf.getProperty(key)
                    .replace("${piecework.home}", home.toString())
                    .replace("${piecework.storage}", storage.toString()));
        }
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        mode.configDir().ifPresent(dir -> config.put("felix.fileinstall.dir", dir.toString()));
        config.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, String.valueOf(Layout.SYSTEM_LEVEL));
        config.put("felix.log.logger", new StderrLogger());
        // A subcommand logs through SLF4J on the launcher's class path; the shell and the
        // daemon keep it as bundles (ClassPathLogging says why).
        classPathLogging = !shell && ClassPathLogging.export(config);
        return config;
    }

    /**
     * SLF4J Simple reads system properties: conf/logging.properties gives the format, the
     * level is PIECEWORK_LOG, else -Dorg.slf4j.simpleLogger.defaultLogLevel, else warn for a
     * subcommand (stderr stays quiet) and info for the shell.
     */
    private void configureLogging() throws IOException {
        Path file = home.resolve("conf/logging.properties");
        if (Files.isRegularFile(file)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
            p.stringPropertyNames().forEach(k -> {
                if (System.getProperty(k) == null) {
                    System.setProperty(k, p.getProperty(k));
                }
            });
        }
        String level = System.getenv("PIECEWORK_LOG");
        String key = "org.slf4j.simpleLogger.defaultLogLevel";
        if (level != null && !level.isBlank()) {
            System.setProperty(key, level.trim());
        } else if (System.getProperty(key) == null) {
            System.setProperty(key, shell ? "info" : "warn");
        }
        // SPI Fly logs through java.util.logging: give it the same threshold and a similar format.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format",
                    "%1$tH:%1$tM:%1$tS.%1$tL [jul] [%4$s] %3$s - %5$s%6$s%n");
        }
        julRoot = Logger.getLogger("");
        julRoot.setLevel(switch (System.getProperty(key).toLowerCase(java.util.Locale.ROOT)) {
            case "trace" -> Level.FINEST;
            case "debug" -> Level.FINE;
            case "info" -> Level.INFO;
            case "error" -> Level.SEVERE;
            default -> Level.WARNING;
        });
    }

    /**
     * Stops the framework (bounded; not after a quick subcommand, whose exit ends it) and
     * removes this run's storage; safe to call twice.
     */
    private synchronized void shutdown() {
        try {
            if (stopFramework && framework != null
                    && (framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
                framework.stop();
                framework.waitForStop(STOP_TIMEOUT_MS);
            }
        } catch (BundleException | InterruptedException e) {
            System.err.println("piecework: stopping the framework: " + e);
        }
        if (storage != null && Files.exists(storage)) {
            try (Stream<Path> s = Files.walk(storage)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A leftover temp folder is harmless.
            }
        }
    }

    /**
     * PIECEWORK_TIMING=1 prints when each phase of the start ended, for tuning: wall time since
     * the launcher's class loaded and the process's CPU time so far (on a machine busy with
     * other work the CPU time says more). ProcessHandle, as java.lang.management alone would
     * cost tens of milliseconds to load.
     */
    static void timing(String phase) {
        if (TIMING) {
            long ms = (System.nanoTime() - T0) / 1_000_000;
            long cpu = ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
            System.err.println("piecework timing: " + phase + " at " + ms + " ms (CPU " + cpu + " ms)");
        }
    }

    /**
     * Where this run's framework storage goes: a RAM-backed folder when there is one
     * ($XDG_RUNTIME_DIR, else /dev/shm), else the temporary folder. Felix writes some hundred
     * small files and folders there per run, removed again at exit; on a busy disk that
     * took 0.3-0.5 s of a 1 s {@code info}, in RAM a few milliseconds. The storage holds only
     * bookkeeping (the jars are installed in place), so it stays small. A temporary folder
     * given with -Djava.io.tmpdir (as the tests do, to find what a killed run left) wins.
     */
    private static Path storageParent() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        if (!tmp.equals(Path.of("/tmp"))) {
            return tmp;
        }
        for (String candidate : new String[] {System.getenv("XDG_RUNTIME_DIR"), "/dev/shm"}) {
            if (candidate != null && !candidate.isBlank()) {
                Path p = Path.of(candidate);
                if (Files.isDirectory(p) && Files.isWritable(p)) {
                    return p;
                }
            }
        }
        return tmp;
    }

    /** {@code -Dpiecework.home} from bin/piecework, else the folder above this jar. */
    private static Path home() throws URISyntaxException {
        String h = System.getProperty("piecework.home");
        if (h != null) {
            return Path.of(h).toAbsolutePath();
        }
        Path jar = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return jar.getParent().getParent();
    }
}
