package io.piecework.launcher;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * Starts the network bundles (engine, wire transport, trackers, DHT) of a {@code get},
 * {@code seed} or {@code demo} run when the subcommand asks: after it has checked its
 * arguments and the torrent. Registered as a {@link Runnable} (a JDK type, so the shell
 * bundle can call it) with {@code piecework.network.start=true}; running it again does nothing.
 * <p>
 * The bundles in {@code late} (the peer sources: DHT, local discovery, trackers) start on a
 * thread of their own once the others have: the engine binds peer sources as they come and
 * announces its torrents to each newcomer, so the subcommand adds its torrent and dials its
 * {@code --peer}s meanwhile instead of waiting for sockets, state files and bootstrap lookups
 * it does not need for that.
 */
final class NetworkStart implements Runnable {
    /** The service property the shell's subcommands select this service by. */
    static final String PROPERTY = "piecework.network.start";
    private final List<Bundle> bundles;
    private final List<Bundle> late;
    /** The system bundle: once it is no longer active the run is over. */
    private final Bundle framework;
    private boolean started;

    NetworkStart(Bundle framework, List<Bundle> bundles, List<Bundle> late) {
        this.framework = framework;
        this.bundles = List.copyOf(bundles);
        this.late = List.copyOf(late);
    }

    static void register(BundleContext context, List<Bundle> bundles, List<Bundle> late) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(PROPERTY, Boolean.TRUE);
        context.registerService(Runnable.class, new NetworkStart(context.getBundle(0), bundles, late), props);
    }

    @Override
    public synchronized void run() {
        if (started) {
            return;
        }
        started = true;
        for (Bundle b : bundles) {
            try {
                start(b);
            } catch (BundleException e) {
                throw new IllegalStateException("could not start " + b.getSymbolicName() + ": " + e.getMessage(), e);
            }
        }
        if (!late.isEmpty()) {
            Thread t = new Thread(this::startLate, "piecework-late-start");
            t.setDaemon(true);
            t.start();
        }
    }

    /** The late bundles, in order; one that fails costs its peer source only, not the run. */
    private void startLate() {
        for (Bundle b : late) {
            try {
                start(b);
            } catch (BundleException | IllegalStateException e) {
                // A run that ended meanwhile stops the framework under us: nothing to say then.
                if (framework.getState() != Bundle.ACTIVE) {
                    return;
                }
                System.err.println("piecework: could not start " + b.getSymbolicName() + ": " + e.getMessage());
            }
        }
    }

    private static void start(Bundle b) throws BundleException {
        b.start();
        Launcher.timing("network bundle " + b.getSymbolicName() + " started");
    }
}
