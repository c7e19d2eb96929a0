package io.piecework.launcher;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Waits until FileInstall has handed every {@code *.cfg} of load/ to Config Admin. The
 * launcher does this between the system level and the project's bundles, so a component
 * activates with its configuration the first time (a peer transport never binds the default
 * port before it learns the configured one). Config Admin's API is not on the launcher's
 * class path, hence reflection.
 */
final class LoadedConfigurations {
    private static final String CM = "org.osgi.service.cm.ConfigurationAdmin";
    /** FileInstall marks each configuration with the URI of the file it came from. */
    private static final String FILENAME = "felix.fileinstall.filename";

    private LoadedConfigurations() {
    }

    /** True when every file's configuration exists; false after {@code timeoutMs}. */
    static boolean await(BundleContext context, Path load, long timeoutMs) throws Exception {
        List<Path> files = cfgFiles(load);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!files.isEmpty()) {
            files = missing(context, files);
            if (files.isEmpty()) {
                break;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(20); // FileInstall tells nobody when it is done: poll, bounded
        }
        return true;
    }

    private static List<Path> missing(BundleContext context, List<Path> files) throws Exception {
        ServiceReference<?> ref = context.getServiceReference(CM);
        if (ref == null) {
            return files;
        }
        Object cm = context.getService(ref);
        try {
            Method list = cm.getClass().getClassLoader().loadClass(CM).getMethod("listConfigurations", String.class);
            List<Path> missing = new java.util.ArrayList<>();
            for (Path f : files) {
                String filter = "(" + FILENAME + "=" + escape(f.toAbsolutePath().toFile().toURI().toString()) + ")";
                if (list.invoke(cm, filter) == null) {
                    missing.add(f);
                }
            }
            return missing;
        } finally {
            context.ungetService(ref);
        }
    }

    private static String escape(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static List<Path> cfgFiles(Path load) throws IOException {
        if (!Files.isDirectory(load)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(load)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".cfg")).toList();
        }
    }
}
