package io.piecework.launcher;

import java.lang.reflect.Method;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Where this run's engine listens, when the subcommand says: {@code get}/{@code seed} with
 * {@code --port N}, and {@code demo}, which keeps to loopback and a free port. Written into
 * the transport's configuration before the project's bundles start, so the transport binds
 * once, on the right port. (Config Admin's API is not on the launcher's class path, hence
 * reflection, as in {@link LoadedConfigurations}.)
 */
final class ListenOverride {
    static final String PID = "io.piecework.wire.transport";
    private static final String CM = "org.osgi.service.cm.ConfigurationAdmin";

    private ListenOverride() {
    }

    /** The transport properties the arguments ask for; empty when they ask nothing. */
    static Optional<Map<String, Object>> of(String[] args) {
        if (args.length == 0) {
            return Optional.empty();
        }
        if (args[0].equals("demo")) {
            return Optional.of(Map.of("listen.address", "127.0.0.1", "listen.port", 0));
        }
        if (!args[0].equals("get") && !args[0].equals("seed")) {
            return Optional.empty();
        }
        List<String> rest = List.of(args).subList(1, args.length);
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i);
            if (a.equals("--")) {
                break;
            }
            String value = a.equals("--port") && i + 1 < rest.size() ? rest.get(i + 1)
                    : a.startsWith("--port=") ? a.substring("--port=".length()) : null;
            if (value != null) {
                // A bad value is the subcommand's to report (exit 2); until it does, a free
                // port keeps this run from clashing with anything on the default one.
                int port;
                try {
                    port = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    port = -1;
                }
                return Optional.of(Map.of("listen.port", port >= 0 && port <= 65535 ? port : 0));
            }
        }
        return Optional.empty();
    }

    /** Merges {@code values} into the transport's configuration (load/'s file, if any, stays as it is). */
    static void apply(BundleContext context, Map<String, Object> values) throws Exception {
        ServiceReference<?> ref = context.getServiceReference(CM);
        if (ref == null) {
            throw new IllegalStateException("no Config Admin to set the listen port");
        }
        Object cm = context.getService(ref);
        try {
            ClassLoader loader = cm.getClass().getClassLoader();
            Method get = loader.loadClass(CM).getMethod("getConfiguration", String.class, String.class);
            Object configuration = get.invoke(cm, PID, null);
            Class<?> type = loader.loadClass("org.osgi.service.cm.Configuration");
            @SuppressWarnings("unchecked")
            Dictionary<String, Object> current = (Dictionary<String, Object>) type.getMethod("getProperties")
                    .invoke(configuration);
            Dictionary<String, Object> next = new Hashtable<>();
            if (current != null) {
                for (var keys = current.keys(); keys.hasMoreElements(); ) {
                    String k = keys.nextElement();
                    next.put(k, current.get(k));
                }
            }
            values.forEach(next::put);
            type.getMethod("update", Dictionary.class).invoke(configuration, next);
        } finally {
            context.ungetService(ref);
        }
    }
}
