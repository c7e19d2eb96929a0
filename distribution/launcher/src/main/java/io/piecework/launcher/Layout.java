package io.piecework.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Which jars of a distribution are installed, in which order and at which start level:
 * <ol>
 * <li>{@code system/} jars matching {@code piecework.system.early} (SPI Fly, ASM, SLF4J): level 1,
 *     so the SLF4J provider is registered before any bundle logs (else SLF4J stays a no-op);</li>
 * <li>the other {@code system/} jars (DS, Config Admin, FileInstall, Gogo runtime): level 2;</li>
 * <li>{@code bundle/}, the project's bundles: level 3;</li>
 * <li>{@code shell/}, the interactive Gogo shell, only when asked for: level 4.</li>
 * </ol>
 * Within a level jars are taken in file-name order, but the peer sources ({@code
 * piecework.network.late.jars}: DHT, local discovery, trackers, web seeds) after the rest of
 * {@code bundle/}: Felix starts a level's bundles in install order and stops them in the reverse,
 * so the DHT starts once uTP offers its shared UDP socket (it used to bind one of its own and
 * then move) and stops before uTP takes the socket away (it used to start once more on a socket
 * of its own at every exit). The integration tests provision from this class too, so they run
 * exactly what ships.
 */
public final class Layout {
    /** Property of conf/config.properties: comma-separated file-name globs for level 1. */
    public static final String EARLY = "piecework.system.early";
    /** Property: subcommands that need the engine and the network (get, seed, ...). */
    public static final String NETWORK_SUBCOMMANDS = "piecework.network.subcommands";
    /** Property: file-name globs of the jars only those subcommands and the shell get. */
    public static final String NETWORK_JARS = "piecework.network.jars";
    /** Property: subcommands that need only the metainfo service (info, create, magnet). */
    public static final String QUICK_SUBCOMMANDS = "piecework.quick.subcommands";
    /** Property: file-name globs of further jars those subcommands go without. */
    public static final String QUICK_SKIP_JARS = "piecework.quick.skip.jars";
    /** Property: file-name globs of the jars only the shell and the daemon get (the remote API's HTTP server). */
    public static final String SERVICE_JARS = "piecework.service.jars";
    /** Property: file-name globs of the persistent session's jars, for the shell and the daemon only. */
    public static final String SESSION_JARS = "piecework.session.jars";
    /** Property: file-name globs of network jars a subcommand starts after the others, on a thread of its own (NetworkStart). */
    public static final String LATE_JARS = "piecework.network.late.jars";
    /** Property: subcommands (besides the shell and the daemon) that get the jars matching {@link #TOOL_JARS}. */
    public static final String TOOL_SUBCOMMANDS = "piecework.tool.subcommands";
    /** Property: file-name globs of jars that serve only their own subcommands (load test, comparison). */
    public static final String TOOL_JARS = "piecework.tool.jars";
    public static final int SHELL_LEVEL = 4;
    public static final int SYSTEM_LEVEL = 2;
    public static final int BUNDLE_LEVEL = 3;

    /** A jar to install: {@code start} is false for fragments, which cannot be started. */
    public record Jar(Path path, int startLevel, boolean start) {
    }

    private Layout() {
    }

    /** The jars of the distribution in {@code home}, in install order. */
    public static List<Jar> jars(Path home, String earlyGlobs, boolean withShell) throws IOException {
        return jars(home, earlyGlobs, withShell, "");
    }

    /** As {@link #jars(Path, String, boolean)}, less the jars whose file names match {@code skipGlobs}. */
    public static List<Jar> jars(Path home, String earlyGlobs, boolean withShell, String skipGlobs) throws IOException {
        List<Jar> jars = new ArrayList<>();
        for (Jar j : unread(home, earlyGlobs, withShell, skipGlobs)) {
            jars.add(jar(j.path(), j.startLevel()));
        }
        return jars;
    }

    /**
     * As {@link #jars(Path, String, boolean, String)} without opening the jars: {@code start}
     * is true for all, fragments too. For the launcher, which asks the installed bundle instead
     * of reading every manifest a second time (Felix reads it anyway).
     */
    static List<Jar> unread(Path home, String earlyGlobs, boolean withShell, String skipGlobs) throws IOException {
        java.util.function.Predicate<Path> skip = matcher(skipGlobs);
        return all(home, earlyGlobs, withShell).stream().filter(j -> !skip.test(j.path())).toList();
    }

    /** True when the jar's file name matches one of the comma-separated globs. */
    public static boolean matches(String globs, Path jar) {
        return matcher(globs).test(jar);
    }

    /** {@link #matches} with the globs compiled once, for testing many jars. */
    public static java.util.function.Predicate<Path> matcher(String globs) {
        List<PathMatcher> compiled = globs(globs);
        return jar -> compiled.stream().anyMatch(m -> m.matches(jar.getFileName()));
    }

    private static List<PathMatcher> globs(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(","))
                .map(String::trim).filter(g -> !g.isEmpty())
                .map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
    }

    /** Every jar with its level, manifests not read. */
    private static List<Jar> all(Path home, String earlyGlobs, boolean withShell) throws IOException {
        List<PathMatcher> early = globs(earlyGlobs);
        List<Jar> jars = new ArrayList<>();
        List<Path> system = list(home.resolve("system"));
        for (Path p : system) {
            if (early.stream().anyMatch(m -> m.matches(p.getFileName()))) {
                jars.add(new Jar(p, 1, true));
            }
        }
        for (Path p : system) {
            if (early.stream().noneMatch(m -> m.matches(p.getFileName()))) {
                jars.add(new Jar(p, SYSTEM_LEVEL, true));
            }
        }
        java.util.function.Predicate<Path> late = matcher(property(home, LATE_JARS));
        List<Path> bundles = list(home.resolve("bundle"));
        for (Path p : bundles.stream().filter(late.negate()).toList()) {
            jars.add(new Jar(p, BUNDLE_LEVEL, true));
        }
        for (Path p : bundles.stream().filter(late).toList()) {
            jars.add(new Jar(p, BUNDLE_LEVEL, true));
        }
        if (withShell) {
            for (Path p : list(home.resolve("shell"))) {
                jars.add(new Jar(p, SHELL_LEVEL, true));
            }
        }
        return jars;
    }

    /** Reads {@code EARLY} from the distribution's conf/config.properties. */
    public static String earlyGlobs(Path home) throws IOException {
        return property(home, EARLY);
    }

    /** A property of the distribution's conf/config.properties; empty when it or the file is missing. */
    private static String property(Path home, String name) throws IOException {
        Path conf = home.resolve("conf/config.properties");
        if (!Files.isRegularFile(conf)) {
            return "";
        }
        java.util.Properties p = new java.util.Properties();
        try (InputStream in = Files.newInputStream(conf)) {
            p.load(in);
        }
        return p.getProperty(name, "");
    }

    private static Jar jar(Path p, int level) throws IOException {
        try (JarFile jar = new JarFile(p.toFile())) {
            var manifest = jar.getManifest();
            boolean fragment = manifest != null && manifest.getMainAttributes().getValue("Fragment-Host") != null;
            return new Jar(p, level, !fragment);
        }
    }

    private static List<Path> list(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }
}
