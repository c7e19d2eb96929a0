package io.piecework.launcher;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.util.Map;
import java.util.jar.Manifest;

/**
 * SLF4J for a subcommand from the launcher's class path ({@code bin/slf4j-api.jar} and
 * {@code bin/slf4j-simple.jar}, in its manifest's Class-Path) instead of as bundles: the
 * system bundle exports SLF4J's packages, and the jars matching {@link #SKIP_JARS} (the SLF4J
 * bundles, SPI Fly and ASM, which serve nothing but SLF4J's ServiceLoader lookup there) are
 * not installed. SPI Fly weaves with ASM and scans every bundle: about 0.28 s of CPU of a
 * {@code get}. The shell and the daemon keep the bundles (the remote API's Jetty uses SPI Fly).
 */
final class ClassPathLogging {
    /** Property of conf/config.properties: file-name globs of the jars a subcommand then goes without. */
    static final String SKIP_JARS = "piecework.subcommand.skip.jars";
    static final String EXTRA_PACKAGES = "org.osgi.framework.system.packages.extra";

    private ClassPathLogging() {
    }

    /**
     * Adds SLF4J's packages, as slf4j-api's own manifest exports them (2.0 and 1.7 versions), to
     * the system bundle's exports in {@code config}; false (and nothing changed) when SLF4J is
     * not on the class path.
     */
    static boolean export(Map<String, Object> config) throws IOException {
        String exports = exports(ClassPathLogging.class.getClassLoader().getResource("org/slf4j/LoggerFactory.class"));
        if (exports == null) {
            return false;
        }
        Object extra = config.get(EXTRA_PACKAGES);
        config.put(EXTRA_PACKAGES, extra == null || extra.toString().isBlank() ? exports : extra + "," + exports);
        return true;
    }

    /** Export-Package of the jar holding {@code classFile}, or null. */
    static String exports(URL classFile) throws IOException {
        if (classFile == null) {
            return null;
        }
        URLConnection c = classFile.openConnection();
        if (!(c instanceof JarURLConnection jar)) {
            return null;
        }
        Manifest m = jar.getManifest();
        return m == null ? null : m.getMainAttributes().getValue("Export-Package");
    }
}
