package io.piecework.itests;

import static org.ops4j.pax.exam.CoreOptions.bootDelegationPackage;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.piecework.launcher.Layout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.ops4j.pax.exam.Option;

/**
 * The built distribution (distribution/target/piecework, or -Dpiecework.home): its folders,
 * and the Pax Exam options that provision exactly its system/ and bundle/ jars with the
 * launcher's start levels (not shell/: the interactive shell only adds time and noise).
 */
public final class Distribution {
    /** Felix HTTP's port property: the Transmission RPC's port. */
    public static final String HTTP_PORT = "org.osgi.service.http.port";

    private Distribution() {
    }

    private static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path home() {
        Path home = Path.of(System.getProperty("piecework.home", "../distribution/target/piecework"))
                .toAbsolutePath().normalize();
        if (!Files.isRegularFile(home.resolve("bin/piecework"))) {
            throw new IllegalStateException(home + " holds no distribution: build it first (mvn verify from the root)");
        }
        return home;
    }

    /** The jars the launcher installs for a subcommand run, in its order. */
    public static List<Layout.Jar> jars() {
        try {
            return Layout.jars(home(), Layout.earlyGlobs(home()), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The jar in bundle/ whose file name starts with {@code artifactId + "-"}. */
    public static Path bundleJar(String artifactId) {
        try (Stream<Path> s = Files.list(home().resolve("bundle"))) {
            return s.filter(p -> p.getFileName().toString().startsWith(artifactId + "-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + artifactId + " in " + home().resolve("bundle")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The jar in system/ whose file name starts with {@code artifactId + "-"}. */
    public static Path systemJar(String artifactId) {
        try (Stream<Path> s = Files.list(home().resolve("system"))) {
            return s.filter(p -> p.getFileName().toString().startsWith(artifactId + "-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + artifactId + " in " + home().resolve("system")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Pax Exam options: the framework properties of the distribution's conf/config.properties
     * (among them felix.bootdelegation.implicit=false, without which the test class path leaks
     * into the framework and SLF4J may bind the wrong provider), its system/ and bundle/ jars
     * with the launcher's start levels, and JUnit. FileInstall reads {@code load} instead of
     * the distribution's load/, so tests can give configurations (e.g. loopback addresses);
     * it applies them before the bundles of bundle/ start.
     */
    public static Option[] paxExam(Path load) {
        List<Option> options = new ArrayList<>();
        Properties conf = new Properties();
        try (InputStream in = Files.newInputStream(home().resolve("conf/config.properties"))) {
            conf.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : conf.stringPropertyNames()) {
            String value = conf.getProperty(key).replace("${piecework.home}", home().toString());
            if (key.equals("org.osgi.framework.bootdelegation")) {
                for (String pkg : value.split("\\s*,\\s*")) {
                    options.add(bootDelegationPackage(pkg));
                }
            } else if (key.equals(HTTP_PORT)) {
                // Never the shipped fixed port in tests: a free one, found now (tests read it back).
                options.add(frameworkProperty(key).value(String.valueOf(freePort())));
            } else if (!key.equals("felix.fileinstall.dir")) {
                options.add(frameworkProperty(key).value(value));
            }
        }
        options.add(frameworkProperty("felix.fileinstall.dir").value(load.toAbsolutePath().toString()));
        options.add(systemProperty("pax.exam.logging").value("none"));
        options.add(systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("warn"));
        String repo = System.getProperty("org.ops4j.pax.url.mvn.localRepository");
        if (repo != null) {
            options.add(systemProperty("org.ops4j.pax.url.mvn.localRepository").value(repo));
        }
        for (Layout.Jar jar : jars()) {
            options.add(bundle(jar.path().toUri().toString()).startLevel(jar.startLevel()).start(jar.start()));
        }
        options.add(junitBundles());
        return options.toArray(new Option[0]);
    }
}
