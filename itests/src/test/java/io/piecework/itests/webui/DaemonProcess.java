package io.piecework.itests.webui;

import io.piecework.itests.Distribution;
import io.piecework.itests.support.Lines;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/piecework daemon} of the built distribution as a process, with its own state
 * folder and a configuration of the shipped files with every socket on loopback, free ports
 * and no DHT routers; {@code extra} adds or replaces configuration files (name → content).
 */
final class DaemonProcess implements AutoCloseable {
    private static final Pattern LISTEN = Pattern.compile("accepting peers on /127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern RESTORED = Pattern.compile("session: restored");
    private static final Pattern HTTP = Pattern.compile("Started ServerConnector.*127\\.0\\.0\\.1:(\\d+)");

    final Process process;
    final int httpPort;
    final int peerPort;
    private final BlockingQueue<String> lines;
    private final List<String> seen = new ArrayList<>();

    DaemonProcess(Path dir, Map<String, String> extra, int timeoutSeconds) throws IOException, InterruptedException {
        Path config = Files.createDirectories(dir.resolve("config"));
        try (var files = Files.list(Distribution.home().resolve("load"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".cfg")).toList()) {
                Files.copy(f, config.resolve(f.getFileName()));
            }
        }
        Files.writeString(config.resolve("io.piecework.wire.transport.cfg"), "listen.address=127.0.0.1\nlisten.port=0\n");
        Files.writeString(config.resolve("io.piecework.dht.cfg"), "bind.address=127.0.0.1\nport=0\nbootstrap.nodes=\nstate.file=\n");
        Files.writeString(config.resolve("org.apache.felix.http.cfg"),
                "org.osgi.service.http.port=" + freePort() + "\norg.apache.felix.http.host=127.0.0.1\n");
        for (Map.Entry<String, String> e : extra.entrySet()) {
            Files.writeString(config.resolve(e.getKey()), e.getValue());
        }
        ProcessBuilder pb = new ProcessBuilder(Distribution.home().resolve("bin/piecework").toString(), "daemon",
                "--config", config.toString()).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("XDG_STATE_HOME", dir.resolve("state").toString());
        pb.environment().put("XDG_RUNTIME_DIR", dir.toString());
        pb.environment().put("PIECEWORK_LOG", "info");
        process = pb.start();
        lines = Lines.follow(process.getInputStream(), "daemon-output");
        peerPort = Integer.parseInt(await(LISTEN, timeoutSeconds).group(1));
        httpPort = Integer.parseInt(await(HTTP, timeoutSeconds).group(1));
        await(RESTORED, timeoutSeconds);
    }

    /** A line of the daemon's output, seen already or within {@code seconds}, matching {@code pattern}. */
    Matcher await(Pattern pattern, int seconds) throws InterruptedException {
        for (String line : seen) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                break;
            }
            seen.add(line);
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m;
            }
        }
        throw new AssertionError("the daemon printed no '" + pattern + "' within " + seconds + " s; it printed:\n"
                + String.join("\n", seen.subList(Math.max(0, seen.size() - 40), seen.size())));
    }

    String base() {
        return "http://127.0.0.1:" + httpPort;
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
