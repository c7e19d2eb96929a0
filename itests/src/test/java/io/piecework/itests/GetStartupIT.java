package io.piecework.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What keeps a {@code get}'s way to its first request short, checked on the running process
 * (no timing: the machine may be busy): Netty's epoll library is loaded from the distribution's
 * {@code lib/native}, not copied out of its jar into a temporary file on every run (two runs at
 * once map the same read-only file), and the web seeds, whose HTTP client parses the CA
 * certificates, start after the engine and the transport, as the other peer sources do.
 */
class GetStartupIT {
    private static final long TIMEOUT_S = 60;
    private static final String EPOLL_LIBRARY = "libnetty_transport_native_epoll_x86_64.so";

    @TempDir
    Path dir;
    private Path torrent;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void torrent() throws Exception {
        Files.writeString(dir.resolve("payload.txt"), "a small payload for the get start tests");
        torrent = dir.resolve("payload.torrent");
        Process p = new ProcessBuilder(Distribution.home().resolve("bin/piecework").toString(), "create",
                dir.resolve("payload.txt").toString(), "-o", torrent.toString()).redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertTrue(p.waitFor(TIMEOUT_S, TimeUnit.SECONDS), "create finished");
        assertEquals(0, p.exitValue());
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** A get of the torrent (no peers: it waits for some), its stderr lines in a queue. */
    private BlockingQueue<String> get(String name) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        ProcessBuilder pb = new ProcessBuilder(Distribution.home().resolve("bin/piecework").toString(), "get",
                torrent.toString(), "-o", home.toString(), "--port", "0", "--dht-bootstrap", "127.0.0.1:9")
                .directory(home.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("PIECEWORK_LOG", "info");
        pb.environment().put("PIECEWORK_TIMING", "1");
        pb.environment().put("XDG_STATE_HOME", home.toString());
        pb.environment().put("PIECEWORK_JAVA_OPTS", "-Duser.home=" + home);
        Process p = pb.start();
        processes.add(p);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                lines.add("(stderr: " + e + ")");
            }
        }, "stderr-" + name);
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    /** The lines up to and including the first that matches; fails if none comes within the timeout. */
    private static List<String> until(BlockingQueue<String> lines, List<String> seen, Predicate<String> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no such line within " + TIMEOUT_S + " s; stderr so far: " + seen);
            }
            seen.add(line);
            if (wanted.test(line)) {
                return seen;
            }
        }
    }

    @Test
    void twoGetsAtOnceMapTheEpollLibraryShippedInLib() throws Exception {
        boolean linuxX64 = System.getProperty("os.name").startsWith("Linux")
                && System.getProperty("os.arch").matches("amd64|x86_64");
        if (!linuxX64) {
            System.out.println("skipped: epoll needs Linux x86_64, this is " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch"));
        }
        Assumptions.assumeTrue(linuxX64);
        Path shipped = Distribution.home().toRealPath().resolve("lib/native/" + EPOLL_LIBRARY);
        List<BlockingQueue<String>> runs = List.of(get("first"), get("second"));
        for (int i = 0; i < runs.size(); i++) {
            List<String> seen = until(runs.get(i), new ArrayList<>(), l -> l.contains("transport: "));
            String chosen = seen.get(seen.size() - 1);
            assertTrue(chosen.contains("transport: epoll sockets"), "the run is on epoll: " + seen);
            List<String> mapped = Files.readAllLines(Path.of("/proc/" + processes.get(i).pid() + "/maps")).stream()
                    .filter(l -> l.contains("libnetty_transport_native_epoll")).map(l -> l.substring(l.indexOf('/')))
                    .distinct().toList();
            assertEquals(List.of(shipped.toString()), mapped, "the library is mapped from lib/native, not a copy");
        }
    }

    @Test
    void theWebSeedsStartAfterTheEngineAndTheTransport() throws Exception {
        List<String> seen = until(get("only"), new ArrayList<>(),
                l -> l.contains("network bundle io.piecework.webseed started"));
        int webSeeds = seen.size() - 1;
        int wire = seen.indexOf(seen.stream().filter(l -> l.contains("network bundle io.piecework.wire started"))
                .findFirst().orElse(null));
        assertTrue(wire >= 0 && wire < webSeeds, "the wire bundle (transport and engine) started before: " + seen);
    }
}
