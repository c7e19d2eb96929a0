package io.piecework.itests.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.itests.Distribution;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/piecework daemon} (or {@code shell}) as a real process for tests: its configuration
 * on loopback with free ports, its state in the test's folder, its output kept line by line.
 */
public final class Daemon {
    public static final int TIMEOUT_S = 180; // a shared 2-core machine: starts take seconds

    private Daemon() {
    }

    /** A configuration folder and the RPC port it sets. */
    public record Config(Path folder, int rpcPort) {
    }

    /** The shipped configurations, with every socket on loopback and a free port, and no DHT routers. */
    public static Config config(Path dir) throws IOException {
        Path config = Files.createDirectories(dir.resolve("config"));
        try (var files = Files.list(Distribution.home().resolve("load"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".cfg")).toList()) {
                Files.copy(f, config.resolve(f.getFileName()));
            }
        }
        Files.writeString(config.resolve("io.piecework.wire.transport.cfg"), "listen.address=127.0.0.1\nlisten.port=0\n");
        Files.writeString(config.resolve("io.piecework.dht.cfg"), "bind.address=127.0.0.1\nport=0\nbootstrap.nodes=\nstate.file=\n");
        // The RPC's HTTP server on a port free now, not the shipped 9091.
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Files.writeString(config.resolve("org.apache.felix.http.cfg"),
                "org.osgi.service.http.port=" + port + "\norg.apache.felix.http.host=127.0.0.1\n");
        return new Config(config, port);
    }

    /** Starts {@code bin/piecework args} with its state (XDG) in {@code dir}. */
    public static Process start(Path dir, List<String> args, Path cwd) throws IOException {
        return start(dir, args, cwd, java.util.Map.of());
    }

    /** As {@link #start(Path, List, Path)} with more environment variables (PIECEWORK_TIMING, say). */
    public static Process start(Path dir, List<String> args, Path cwd, java.util.Map<String, String> env)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Distribution.home().resolve("bin/piecework").toString());
        command.addAll(args);
        // One stream: the shell's Gogo session hands the threads it starts its own stdout, so
        // the engine's log lines of torrents it added come out there.
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().put("XDG_STATE_HOME", dir.resolve("state").toString());
        // Framework storage in this test's folder, so what a SIGKILL leaves goes with it.
        pb.environment().put("XDG_RUNTIME_DIR", dir.toString());
        pb.environment().put("PIECEWORK_LOG", "info");
        pb.environment().putAll(env);
        return pb.start();
    }

    public static void kill(Process p) throws InterruptedException {
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no final save
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
    }

    /** A process's output, every line kept, so a wait finds a line whichever order they came in. */
    public static final class Log {
        private final BlockingQueue<String> lines;
        private final List<String> seen = new ArrayList<>();

        public Log(Process p) {
            lines = Lines.follow(p.getInputStream(), "piecework-output");
        }

        /** A line seen so far matching {@code pattern}. */
        public Optional<Matcher> seen(Pattern pattern) {
            lines.drainTo(seen);
            return seen.stream().map(pattern::matcher).filter(Matcher::find).findFirst();
        }

        /** Every line printed so far, for a failure message: what the process said. */
        public String text() {
            lines.drainTo(seen);
            return String.join("\n", seen);
        }

        /** A line matching {@code pattern}, seen before or within the timeout. */
        public Matcher await(Pattern pattern) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            Optional<Matcher> found = seen(pattern);
            while (found.isEmpty()) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("no line matching " + pattern + " within " + TIMEOUT_S + " s; saw:\n"
                            + String.join("\n", seen));
                }
                seen.add(line);
                Matcher m = pattern.matcher(line);
                found = m.find() ? Optional.of(m) : Optional.empty();
            }
            return found.get();
        }
    }
}
