package io.piecework.launcher;

import java.lang.reflect.Method;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Merges a run's overrides into a configuration in Config Admin before the project's bundles
 * start, so the component activates once, with them. Only Config Admin changes: FileInstall
 * never writes configurations back into load/ (felix.fileinstall.enableConfigSave=false).
 * Config Admin's API is not on the launcher's class path, hence reflection, as in
 * {@link LoadedConfigurations}.
 */
final class ConfigMerge {
    private static final String CM = "org.osgi.service.cm.ConfigurationAdmin";

    private ConfigMerge() {
    }

    /** Puts {@code values} into the configuration {@code pid}; its other properties stay as they are. */
    static void merge(BundleContext context, String pid, Map<String, Object> values) throws Exception {
        ServiceReference<?> ref = context.getServiceReference(CM);
        if (ref == null) {
            throw new IllegalStateException("no Config Admin to configure " + pid);
        }
        Object cm = context.getService(ref);
        try {
            ClassLoader loader = cm.getClass().getClassLoader();
            Method get = loader.loadClass(CM).getMethod("getConfiguration", String.class, String.class);
            Object configuration = get.invoke(cm, pid, null);
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
