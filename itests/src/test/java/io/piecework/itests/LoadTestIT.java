package io.piecework.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/piecework loadtest} as shipped, at a toy size: it downloads through the real
 * engine from fake peers on loopback with each strategy and prints a well-formed table.
 * Checks the shape and the counts, never the timings.
 */
class LoadTestIT {
    private static final long TIMEOUT_S = 180;
    private static final List<String> ROWS = List.of("download (s)", "throughput (MiB/s)", "lock wait/wall (%)",
            "wait p50 (us)", "wait p99 (us)", "hold p50 (us)", "hold p99 (us)", "lock acq/block",
            "handed to holder/block", "engine CPU (s/GiB)", "engine alloc (MiB/GiB)", "fake peers CPU (s/GiB)",
            "idle CPU (% core)", "idle connections", "heap/torrent (KiB)", "with fake ends (KiB)", "churned connections",
            "hash failures", "GCs while downloading", "GC time (ms)", "bitmaps taken", "bitmap pool hits");

    @TempDir
    Path dir;

    record Result(int status, String out, String err) {
    }

    private Result run(String... args) throws Exception {
        return runLogging(null, args);
    }

    private Result runLogging(String log, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Distribution.home().resolve("bin/piecework").toString());
        command.add("loadtest");
        command.addAll(Arrays.asList(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().remove("PIECEWORK_LOG");
        if (log != null) {
            pb.environment().put("PIECEWORK_LOG", log);
        }
        // Its own temporary folder, so the test can see the downloads deleted.
        Files.createDirectories(dir.resolve("tmp"));
        pb.environment().put("PIECEWORK_JAVA_OPTS", "-Djava.io.tmpdir=" + dir.resolve("tmp"));
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("bin/piecework loadtest " + String.join(" ", args) + " did not finish within " + TIMEOUT_S + " s");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** The table: a description line, the strategies' header, then each row with one number per strategy. */
    private static void assertTable(Result r, String description) {
        assertEquals(0, r.status(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals(2 + ROWS.size(), lines.size(), r.out());
        assertTrue(lines.get(0).startsWith(description), r.out());
        assertTrue(lines.get(1).matches(" +batched +cached +naive"), r.out());
        for (int i = 0; i < ROWS.size(); i++) {
            String row = lines.get(2 + i);
            assertTrue(row.startsWith(ROWS.get(i)), r.out());
            String figures = row.substring(ROWS.get(i).length());
            assertTrue(figures.matches("( +-?[0-9]+(\\.[0-9]+)?){3}"), "row '" + row + "' in\n" + r.out());
        }
        // Every fake peer lacks one piece, so none is a seed and all stay connected once complete.
        assertTrue(lines.get(2 + ROWS.indexOf("idle connections")).matches("idle connections +6 +6 +6"), r.out());
        assertTrue(lines.get(2 + ROWS.indexOf("hash failures")).matches("hash failures +0 +0 +0"), r.out());
    }

    @Test
    void engineDialsTheFakePeersWithEveryStrategy() throws Exception {
        Result r = run("--torrents", "2", "--peers", "3", "--size", "2", "--idle", "1", "--timeout", "60");
        assertTable(r, "2 torrents x 3 peers, 2 MiB each (8 pieces of 256 KiB), the engine dials the peers");
        try (var left = Files.list(dir.resolve("tmp"))) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith("piecework-loadtest-")).toList(),
                    "the downloaded data is deleted");
        }
    }

    @Test
    void fakePeersDialTheEngineAndTheCsvHasARowPerStrategy() throws Exception {
        Result r = run("--torrents", "2", "--peers", "3", "--size", "2", "--idle", "1", "--timeout", "60",
                "--inbound", "--churn", "0.5", "--csv", "loadtest.csv");
        assertTable(r, "2 torrents x 3 peers, 2 MiB each (8 pieces of 256 KiB), the peers dial the engine");
        List<String> csv = Files.readAllLines(dir.resolve("loadtest.csv"));
        assertEquals(5, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(1).startsWith("strategy,download (s),"), csv.get(1));
        assertEquals(List.of("batched", "cached", "naive"), csv.subList(2, 5).stream().map(l -> l.split(",")[0]).toList());
    }

    @Test
    void refusesMoreConnectionsThanTheEngineAllows() throws Exception {
        Result r = run("--torrents", "1000", "--peers", "20");
        assertEquals(2, r.status(), r.toString());
        // Only this line is the load test's: the engine may log a warning before it (a DHT port taken, say).
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("piecework: 1000 torrents x 20 peers need 20000 connections,"
                + " over the engine's max.connections (500); add --max-connections 20000")), r.err());
        assertEquals("", r.out());
    }

    /**
     * The launcher's framework, not only Pax Exam's: the native epoll library must load there
     * (it failed with "unsupported JNI version 0xFFFFFFFF" until sun.nio.ch was boot-delegated).
     */
    @Test
    void theEngineRunsOnEpollOnLinuxX64() throws Exception {
        boolean linuxX64 = System.getProperty("os.name").startsWith("Linux")
                && System.getProperty("os.arch").matches("amd64|x86_64");
        if (!linuxX64) {
            System.out.println("skipped: epoll needs Linux x86_64, this is " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch"));
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(linuxX64);
        Result r = runLogging("info", "--torrents", "1", "--peers", "2", "--size", "1", "--idle", "1", "--timeout", "60",
                "--strategies", "cached");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.err().lines().anyMatch(l -> l.contains("transport: epoll sockets")), r.err());
    }
}
