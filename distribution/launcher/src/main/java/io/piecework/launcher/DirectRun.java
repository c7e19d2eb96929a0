package io.piecework.launcher;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

/**
 * Runs a subcommand that needs no framework ({@code piecework.direct.subcommands}: info,
 * magnet, create) from the jars of {@code bundle/} matching {@code piecework.direct.jars},
 * through the class named by {@code piecework.direct.runner}, on one plain class loader.
 * Starting Felix (resolving, the weaving hook, DS, some thousand classes) was three quarters
 * of such a run's time; these subcommands read and write files only, and nothing of what the
 * framework adds (configuration, logging, the engine) concerns them.
 */
final class DirectRun {
    static final String SUBCOMMANDS = "piecework.direct.subcommands";
    static final String JARS = "piecework.direct.jars";
    static final String RUNNER = "piecework.direct.runner";

    private DirectRun() {
    }

    /** True when {@code subcommand} runs without the framework under {@code config}. */
    static boolean applies(Properties config, String subcommand) {
        return Arrays.stream(config.getProperty(SUBCOMMANDS, "").split(","))
                .map(String::trim).anyMatch(subcommand::equals);
    }

    /** Runs the subcommand and returns its exit status. */
    static int run(Path home, Properties config, String[] args) throws Exception {
        List<URL> urls = new ArrayList<>();
        String globs = config.getProperty(JARS, "");
        try (Stream<Path> s = Files.list(home.resolve("bundle"))) {
            for (Path jar : s.filter(p -> Layout.matches(globs, p)).sorted().toList()) {
                urls.add(jar.toUri().toURL());
            }
        }
        if (urls.isEmpty()) {
            throw new IOException("no jar in " + home.resolve("bundle") + " matches " + JARS + "=" + globs);
        }
        // The platform loader as parent: the subcommand sees the JDK and its own jars, as in
        // the framework, where it imports nothing else either.
        URLClassLoader loader = new URLClassLoader("piecework-direct", urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader());
        @SuppressWarnings("unchecked")
        ToIntFunction<String[]> runner = (ToIntFunction<String[]>) loader.loadClass(config.getProperty(RUNNER))
                .getConstructor().newInstance();
        Launcher.timing("direct runner loaded");
        int status = runner.applyAsInt(args);
        Launcher.timing("subcommand done");
        return status;
    }
}
