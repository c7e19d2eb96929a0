package io.piecework.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.bencode.BDictionary;
import io.piecework.bencode.BValue;
import io.piecework.bencode.Bencode;
import io.piecework.itests.support.Conditions;
import io.piecework.itests.support.Lines;
import io.piecework.itests.support.ScriptProcess;
import io.piecework.metainfo.MetainfoWriter;
import io.piecework.metainfo.TorrentCreator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The persistent session across SIGKILL, with real processes: the shell adds three torrents (one
 * complete, one half done, one stopped) and is killed; {@code bin/piecework daemon} brings all
 * three back as they were and completes the half-done one from a libtorrent seeder, which serves
 * only the pieces that were not verified; killed too and started again, the daemon has them all
 * back once more, and a SIGTERM stops it without recording its torrents as stopped. Each run has
 * its own state folder (XDG_STATE_HOME) and configuration (--config: loopback, free ports).
 */
class DaemonRestartIT {
    private static final int PIECE = 256 * 1024;
    private static final int TIMEOUT_S = 180; // a shared 2-core machine: starts take seconds
    private static final Pattern RESTORED = Pattern.compile(Pattern.quote("session: restored 3 of 3 torrents (2 started)"));
    private static final Pattern LISTEN = Pattern.compile("accepting peers on /127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    @Test
    void torrentsComeBackAfterSigkillAndTheHalfDoneOneFetchesOnlyWhatWasMissing() throws Exception {
        TorrentMetainfo a = payload("a", 12 * PIECE, 1);
        TorrentMetainfo b = payload("b", 24 * PIECE, 2);
        TorrentMetainfo c = payload("c", 8 * PIECE, 3);
        // b's folder holds its first half: twelve pieces verify, twelve are missing.
        Path half = Files.createDirectories(dir.resolve("data-b")).resolve("b.bin");
        Files.write(half, java.util.Arrays.copyOf(Files.readAllBytes(dir.resolve("seed-b/b.bin")), 12 * PIECE));
        Files.createDirectories(dir.resolve("data-c"));
        Path config = config();

        // 1. The shell adds them (its Gogo profile runs the commands), then dies by SIGKILL.
        Path cwd = Files.createDirectories(dir.resolve("shell/etc"));
        Files.writeString(cwd.resolve("gosh_profile"), String.join("\n",
                add(a, "data-a"), add(b, "data-b"), add(c, "data-c"),
                "piecework:stop " + c.infoHash().hex(), ""));
        Process shell = start(List.of("shell", "--config", config.toString()), cwd.getParent());
        Log shellLog = new Log(shell);
        assertEquals("12 of 12 pieces on disk, seeding", shellLog.await(opened("a")).group(1));
        assertEquals("12 of 24 pieces on disk, downloading", shellLog.await(opened("b")).group(1));
        Conditions.await(TimeUnit.SECONDS.toMillis(30), () -> started().equals(Map.of(
                a.infoHash().hex(), true, b.infoHash().hex(), true, c.infoHash().hex(), false)), "the session saved");
        kill(shell);

        // 2. The daemon: all three back; b completes from the seeder, which serves only the missing half.
        Process daemon = start(List.of("daemon", "--config", config.toString()), dir);
        Log log = new Log(daemon);
        int port = Integer.parseInt(log.await(LISTEN).group(1));
        log.await(RESTORED);
        assertEquals("12 of 12 pieces on disk, seeding", log.await(opened("a")).group(1), "a complete");
        assertEquals("12 of 24 pieces on disk, downloading", log.await(opened("b")).group(1), "b half done");
        Path script = Path.of("src/test/resources/python/lt_node.py").toAbsolutePath();
        long served;
        try (ScriptProcess seeder = ScriptProcess.start(dir.resolve("lt.log"), List.of(ScriptProcess.PYTHON,
                script.toString(), "seed", dir.resolve("b.torrent").toString(), dir.resolve("seed-b").toString()))) {
            seeder.await("PORT", TIMEOUT_S);
            seeder.send("CONNECT " + port);
            log.await(Pattern.compile("b\\.bin: complete"));
            seeder.send("STATS");
            served = Long.parseLong(seeder.await("STATS", 30).split(" ")[2]);
        }
        assertEquals(-1L, Files.mismatch(dir.resolve("seed-b/b.bin"), half), "b is complete and identical");
        long missing = 12L * PIECE;
        assertTrue(served <= missing + PIECE, "the seeder served " + served + " bytes; only " + missing
                + " were missing (verified pieces were fetched again)");
        assertTrue(served > 0, "b's missing half came from the seeder");
        kill(daemon);

        // 3. The daemon again: the same three, b now complete; SIGTERM stops it cleanly.
        Process again = start(List.of("daemon", "--config", config.toString()), dir);
        Log log2 = new Log(again);
        log2.await(RESTORED);
        assertEquals("12 of 12 pieces on disk, seeding", log2.await(opened("a")).group(1));
        assertEquals("24 of 24 pieces on disk, seeding", log2.await(opened("b")).group(1));
        assertTrue(log2.seen(opened("c")).isEmpty() && log.seen(opened("c")).isEmpty(), "c was never started");
        again.destroy(); // SIGTERM
        assertTrue(again.waitFor(60, TimeUnit.SECONDS), "the daemon stops on SIGTERM");
        assertEquals(143, again.exitValue(), "ended by SIGTERM");
        assertEquals(Map.of(a.infoHash().hex(), true, b.infoHash().hex(), true, c.infoHash().hex(), false), started(),
                "a clean stop does not record the torrents as stopped");
        assertTrue(Files.readString(dir.resolve("state/piecework/daemon.log")).contains("session: restored 3 of 3"),
                "the daemon logs to its state folder too");
    }

    /** A payload in seed-NAME/NAME.bin and its torrent NAME.torrent; a complete copy in data-a for a. */
    private TorrentMetainfo payload(String name, int size, long seed) throws IOException {
        Path file = Files.createDirectories(dir.resolve("seed-" + name)).resolve(name + ".bin");
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        Files.write(file, bytes);
        if (name.equals("a")) {
            Files.write(Files.createDirectories(dir.resolve("data-a")).resolve("a.bin"), bytes);
        }
        TorrentMetainfo meta = TorrentCreator.create(new CreateRequest(file, PIECE, List.of(), List.of(), false, null, 1),
                CreateProgress.NONE);
        Files.write(dir.resolve(name + ".torrent"), MetainfoWriter.write(meta));
        return meta;
    }

    private String add(TorrentMetainfo meta, String folder) {
        String name = meta.name().substring(0, 1);
        return "piecework:add " + dir.resolve(name + ".torrent") + " " + dir.resolve(folder);
    }

    /** The shipped configurations, with every socket on loopback and a free port, and no DHT routers. */
    private Path config() throws IOException {
        Path config = Files.createDirectories(dir.resolve("config"));
        try (var files = Files.list(Distribution.home().resolve("load"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".cfg")).toList()) {
                Files.copy(f, config.resolve(f.getFileName()));
            }
        }
        Files.writeString(config.resolve("io.piecework.wire.transport.cfg"), "listen.address=127.0.0.1\nlisten.port=0\n");
        Files.writeString(config.resolve("io.piecework.dht.cfg"), "bind.address=127.0.0.1\nport=0\nbootstrap.nodes=\nstate.file=\n");
        // The RPC's HTTP server on a port free now, not the shipped 9091.
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Files.writeString(config.resolve("org.apache.felix.http.cfg"),
                    "org.osgi.service.http.port=" + probe.getLocalPort() + "\norg.apache.felix.http.host=127.0.0.1\n");
        }
        return config;
    }

    private Process start(List<String> args, Path cwd) throws IOException {
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
        return pb.start();
    }

    private static void kill(Process p) throws InterruptedException {
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no final save
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
    }

    /** Info-hash → started, as the session file says; empty while there is none. */
    private Map<String, Boolean> started() {
        Map<String, Boolean> started = new TreeMap<>();
        try {
            BValue root = Bencode.decode(Files.readAllBytes(dir.resolve("state/piecework/session/session.bencode")));
            for (BValue t : ((BDictionary) root).list("torrents").orElseThrow().items()) {
                BDictionary d = (BDictionary) t;
                started.put(d.string("hash").orElseThrow().utf8(), d.integer("started").orElseThrow().value() == 1);
            }
        } catch (IOException | io.piecework.bencode.BencodeException e) {
            return Map.of();
        }
        return started;
    }

    private static Pattern opened(String name) {
        return Pattern.compile(name + "\\.bin: (\\d+ of \\d+ pieces on disk, \\w+)");
    }

    /** A process's output, every line kept, so a wait finds a line whichever order they came in. */
    private static final class Log {
        private final BlockingQueue<String> lines;
        private final List<String> seen = new ArrayList<>();

        Log(Process p) {
            lines = Lines.follow(p.getInputStream(), "piecework-output");
        }

        /** A line seen so far matching {@code pattern}. */
        java.util.Optional<Matcher> seen(Pattern pattern) {
            lines.drainTo(seen);
            return seen.stream().map(pattern::matcher).filter(Matcher::find).findFirst();
        }

        /** A line matching {@code pattern}, seen before or within the timeout. */
        Matcher await(Pattern pattern) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            java.util.Optional<Matcher> found = seen(pattern);
            while (found.isEmpty()) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("no line matching " + pattern + " within " + TIMEOUT_S + " s; saw:\n"
                            + String.join("\n", seen));
                }
                seen.add(line);
                Matcher m = pattern.matcher(line);
                found = m.find() ? java.util.Optional.of(m) : java.util.Optional.empty();
            }
            return found.get();
        }
    }
}
