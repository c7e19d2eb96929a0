package io.piecework.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piecework.itests.support.Daemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon's life from start to SIGTERM binds each service once. The DHT used to start on a
 * socket of its own, move onto uTP's shared one once uTP came (a second bind and bootstrap), and
 * at every exit, uTP stopping before it, start once more on a socket of its own: three
 * "peer source dht bound" lines where one is right. Nor may the engine start again while the
 * framework stops (its sources and strategy would be bound, and logged, a second time).
 */
class DaemonStopIT {
    private static final Pattern DHT_BOUND = Pattern.compile("peer source dht bound");
    private static final Pattern SHARED = Pattern.compile("IPv4 DHT on the shared UDP socket");
    /** Logged only when the IPv4 node has a socket of its own (the IPv6 one cannot take its port). */
    private static final Pattern OWN_SOCKET = Pattern.compile("IPv6 DHT on a port of its own");
    private static final Pattern STRATEGY = Pattern.compile("request strategy: cached");

    @TempDir
    Path dir;

    @Test
    void theDhtBindsOnceOnUtpsSocketAndNothingStartsAgainOnStop() throws Exception {
        Path config = Daemon.config(dir).folder();
        Process daemon = Daemon.start(dir, List.of("daemon", "--config", config.toString()), dir,
                Map.of("PIECEWORK_TIMING", "1"));
        Daemon.Log log = new Daemon.Log(daemon);
        try {
            // Every bundle has started: the stop below is not one cutting a start short.
            log.await(Pattern.compile("piecework timing: bundles started"));
        } finally {
            daemon.destroy(); // SIGTERM: the shutdown hook stops the framework
            if (!daemon.waitFor(Daemon.TIMEOUT_S, TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        assertEquals(143, daemon.exitValue(), "stopped by SIGTERM");
        // The whole run, the stop included, as the daemon wrote it to its log file.
        List<String> lines = Files.readAllLines(dir.resolve("state/piecework/daemon.log"));
        String all = String.join("\n", lines);
        assertEquals(1, count(lines, SHARED), "the DHT took uTP's socket once:\n" + all);
        assertEquals(0, count(lines, OWN_SOCKET), "the IPv4 DHT never bound a socket of its own:\n" + all);
        assertEquals(1, count(lines, DHT_BOUND), "the engine bound the DHT once:\n" + all);
        assertEquals(1, count(lines, STRATEGY), "one engine, its strategy bound once:\n" + all);
        assertEquals(1, count(lines, Pattern.compile("accepting uTP peers")), "uTP ran:\n" + all);
    }

    private static long count(List<String> lines, Pattern pattern) {
        return lines.stream().filter(l -> pattern.matcher(l).find()).count();
    }
}
