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
 */
final class NetworkStart implements Runnable {
    /** The service property the shell's subcommands select this service by. */
    static final String PROPERTY = "piecework.network.start";
    private final List<Bundle> bundles;
    private boolean started;

    private NetworkStart(List<Bundle> bundles) {
        this.bundles = List.copyOf(bundles);
    }

    static void register(BundleContext context, List<Bundle> bundles) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(PROPERTY, Boolean.TRUE);
        context.registerService(Runnable.class, new NetworkStart(bundles), props);
    }

    @Override
    public synchronized void run() {
        if (started) {
            return;
        }
        started = true;
        for (Bundle b : bundles) {
            try {
                b.start();
                Launcher.timing("network bundle " + b.getSymbolicName() + " started");
            } catch (BundleException e) {
                throw new IllegalStateException("could not start " + b.getSymbolicName() + ": " + e.getMessage(), e);
            }
        }
    }
}
