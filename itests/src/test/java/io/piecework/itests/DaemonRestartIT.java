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
import io.piecework.itests.support.Daemon;
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
    /** The session file's levels for x.bin wanted and y.bin not: {@code Priority.level()} per file. */
    private static final String NORMAL_THEN_SKIP = new String(new char[] {
            (char) io.piecework.api.engine.Priority.NORMAL.level(), (char) io.piecework.api.engine.Priority.SKIP.level()});

    private static final int PIECE = 256 * 1024;
    private static final int TIMEOUT_S = Daemon.TIMEOUT_S;
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
        Path config = Daemon.config(dir).folder();

        // 1. The shell adds them (its Gogo profile runs the commands), then dies by SIGKILL.
        Path cwd = Files.createDirectories(dir.resolve("shell/etc"));
        Files.writeString(cwd.resolve("gosh_profile"), String.join("\n",
                add(a, "data-a"), add(b, "data-b"), add(c, "data-c"),
                "piecework:stop " + c.infoHash().hex(), ""));
        Process shell = Daemon.start(dir, List.of("shell", "--config", config.toString()), cwd.getParent());
        Daemon.Log shellLog = new Daemon.Log(shell);
        assertEquals("12 of 12 pieces on disk, seeding", shellLog.await(opened("a")).group(1));
        assertEquals("12 of 24 pieces on disk, downloading", shellLog.await(opened("b")).group(1));
        Map<String, Boolean> expected = Map.of(a.infoHash().hex(), true, b.infoHash().hex(), true,
                c.infoHash().hex(), false);
        if (!Conditions.within(TimeUnit.SECONDS.toMillis(30), () -> started().equals(expected))) {
            // What the file holds and what the shell printed (its profile's failed commands, the
            // engine's and the session's log lines), so a failure explains itself.
            throw new AssertionError("not within 30000 ms: the session saved " + expected + "; the file says "
                    + started() + "\n--- the shell's output:\n" + shellLog.text());
        }
        Daemon.kill(shell);

        // 2. The daemon: all three back; b completes from the seeder, which serves only the missing half.
        Process daemon = Daemon.start(dir, List.of("daemon", "--config", config.toString()), dir);
        Daemon.Log log = new Daemon.Log(daemon);
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
        Daemon.kill(daemon);

        // 3. The daemon again: the same three, b now complete; SIGTERM stops it cleanly.
        Process again = Daemon.start(dir, List.of("daemon", "--config", config.toString()), dir);
        Daemon.Log log2 = new Daemon.Log(again);
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

    /**
     * The same three torrents added through transmission-remote against the daemon (a complete,
     * b half done, c stopped), the daemon killed with SIGKILL and started again: {@code -l} shows
     * them as they were, and b then fetches only its missing half from libtorrent.
     */
    @Test
    void torrentsAddedThroughTransmissionRemoteAreListedTheSameAfterSigkill() throws Exception {
        TorrentMetainfo a = payload("a", 12 * PIECE, 1);
        TorrentMetainfo b = payload("b", 24 * PIECE, 2);
        TorrentMetainfo c = payload("c", 8 * PIECE, 3);
        Path half = Files.createDirectories(dir.resolve("data-b")).resolve("b.bin");
        Files.write(half, java.util.Arrays.copyOf(Files.readAllBytes(dir.resolve("seed-b/b.bin")), 12 * PIECE));
        Files.createDirectories(dir.resolve("data-c"));
        Daemon.Config config = Daemon.config(dir);
        int rpc = config.rpcPort();
        List<String> daemonArgs = List.of("daemon", "--config", config.folder().toString());

        Process first = Daemon.start(dir, daemonArgs, dir);
        try {
            Daemon.Log log = new Daemon.Log(first);
            awaitRpc(rpc);
            for (String name : List.of("a", "b", "c")) {
                String added = remote(rpc, "-a", dir.resolve(name + ".torrent").toString(), "-w",
                        dir.resolve("data-" + name).toString());
                assertTrue(added.contains("success"), added);
            }
            assertTrue(remote(rpc, "-t", c.infoHash().hex(), "-S").contains("success"));
            assertEquals("12 of 12 pieces on disk, seeding", log.await(opened("a")).group(1));
            assertEquals("12 of 24 pieces on disk, downloading", log.await(opened("b")).group(1));
            Map<String, Boolean> expected = Map.of(a.infoHash().hex(), true, b.infoHash().hex(), true,
                    c.infoHash().hex(), false);
            if (!Conditions.within(TimeUnit.SECONDS.toMillis(30), () -> started().equals(expected))) {
                throw new AssertionError("not within 30000 ms: the session saved " + expected + "; the file says "
                        + started() + "\n--- the daemon's output:\n" + log.text());
            }
        } finally {
            Daemon.kill(first);
        }

        Process again = Daemon.start(dir, daemonArgs, dir);
        try {
            Daemon.Log log = new Daemon.Log(again);
            int port = Integer.parseInt(log.await(LISTEN).group(1));
            log.await(RESTORED);
            log.await(opened("a"));
            assertEquals("12 of 24 pieces on disk, downloading", log.await(opened("b")).group(1), "b half done");
            awaitRpc(rpc);
            String list = remote(rpc, "-l");
            assertTrue(line(list, "a.bin").contains("100%") && !line(list, "a.bin").contains("Stopped"), list);
            assertTrue(line(list, "b.bin").contains("50%") && !line(list, "b.bin").contains("Stopped"), list);
            assertTrue(line(list, "c.bin").contains("Stopped"), list);

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
            assertTrue(served <= 12L * PIECE + PIECE && served > 0, "the seeder served " + served
                    + " bytes; only the missing half of " + 24L * PIECE + " was needed");
            Conditions.await(TimeUnit.SECONDS.toMillis(30), () -> line(remoteOrEmpty(rpc, "-l"), "b.bin").contains("100%"),
                    "transmission-remote -l shows b complete");
        } finally {
            Daemon.kill(again);
        }
    }

    /**
     * What a remote sets besides adding survives SIGKILL too: a file left unwanted (-G) stays
     * unwanted and is not downloaded after the restart, and the session's upload limit (-u) is
     * applied again.
     */
    @Test
    void anUnwantedFileAndASessionLimitSetByARemoteSurviveSigkill() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("seed-m/m"));
        Files.write(folder.resolve("x.bin"), random(8 * PIECE, 4));
        Files.write(folder.resolve("y.bin"), random(4 * PIECE, 5));
        TorrentMetainfo m = TorrentCreator.create(new CreateRequest(folder, PIECE, List.of(), List.of(), false, null, 1),
                CreateProgress.NONE);
        Files.write(dir.resolve("m.torrent"), MetainfoWriter.write(m));
        Files.createDirectories(dir.resolve("data-m"));
        Daemon.Config config = Daemon.config(dir);
        int rpc = config.rpcPort();
        List<String> daemonArgs = List.of("daemon", "--config", config.folder().toString());
        String id = m.infoHash().hex();

        Process first = Daemon.start(dir, daemonArgs, dir);
        try {
            awaitRpc(rpc);
            assertTrue(remote(rpc, "-a", dir.resolve("m.torrent").toString(), "-w", dir.resolve("data-m").toString())
                    .contains("success"));
            assertTrue(remote(rpc, "-t", id, "-S").contains("success"));
            assertTrue(remote(rpc, "-t", id, "-G", "1").contains("success"));
            assertTrue(remote(rpc, "-u", "300").contains("success"));
            Conditions.await(TimeUnit.SECONDS.toMillis(30), () -> savedFiles(id).equals(NORMAL_THEN_SKIP),
                    "the session saved y.bin unwanted");
        } finally {
            Daemon.kill(first);
        }

        Process again = Daemon.start(dir, daemonArgs, dir);
        try {
            Daemon.Log log = new Daemon.Log(again);
            int port = Integer.parseInt(log.await(LISTEN).group(1));
            awaitRpc(rpc);
            String files = remote(rpc, "-t", id, "-f");
            assertTrue(files.matches("(?s).*\\n\\s*1:\\s+\\S+\\s+Normal\\s+No\\s+.*"), files);
            Conditions.await(TimeUnit.SECONDS.toMillis(30), () -> remoteOrEmpty(rpc, "-si").contains("Enabled limit: 300"),
                    "the upload limit is applied again");
            assertTrue(remote(rpc, "-t", id, "-s").contains("success"));
            Path script = Path.of("src/test/resources/python/lt_node.py").toAbsolutePath();
            try (ScriptProcess seeder = ScriptProcess.start(dir.resolve("lt-m.log"), List.of(ScriptProcess.PYTHON,
                    script.toString(), "seed", dir.resolve("m.torrent").toString(), dir.resolve("seed-m").toString()))) {
                seeder.await("PORT", TIMEOUT_S);
                seeder.send("CONNECT " + port);
                log.await(Pattern.compile("m: complete"));
            }
            assertEquals(-1L, Files.mismatch(folder.resolve("x.bin"), dir.resolve("data-m/m/x.bin")), "x.bin arrived");
            Path y = dir.resolve("data-m/m/y.bin");
            assertTrue(!Files.exists(y) || Files.mismatch(folder.resolve("y.bin"), y) != -1L, "y.bin was not downloaded");
        } finally {
            Daemon.kill(again);
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    /** The torrent's saved file priorities (one byte each, ISO-8859-1), or "" while it has none. */
    private String savedFiles(String hash) {
        try {
            BValue root = Bencode.decode(Files.readAllBytes(dir.resolve("state/piecework/session/session.bencode")));
            for (BValue t : ((BDictionary) root).list("torrents").orElseThrow().items()) {
                BDictionary d = (BDictionary) t;
                if (d.string("hash").orElseThrow().utf8().equals(hash) && d.string("files").isPresent()) {
                    return new String(d.string("files").get().bytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
                }
            }
        } catch (IOException | io.piecework.bencode.BencodeException e) {
            return "";
        }
        return "";
    }

    /** transmission-remote against the daemon's RPC on loopback, bounded; its output, stderr too. */
    private static String remote(int port, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("transmission-remote", "127.0.0.1:" + port));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("remote-", ".txt");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " still running after 60 s");
            }
            return Files.readString(out) + (p.exitValue() == 0 ? "" : "\n(exit " + p.exitValue() + ")");
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String remoteOrEmpty(int port, String... args) {
        try {
            return remote(port, args);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Waits until the daemon's RPC answers a listing. */
    private static void awaitRpc(int port) throws InterruptedException {
        Conditions.await(TimeUnit.SECONDS.toMillis(TIMEOUT_S), () -> {
            String out = remoteOrEmpty(port, "-l");
            return out.contains("Sum:") && !out.contains("(exit");
        }, "the RPC answers on " + port);
    }

    /** The line of {@code transmission-remote -l} ending in the torrent's name, or "". */
    private static String line(String list, String name) {
        for (String l : list.split("\n")) {
            if (l.trim().endsWith(" " + name)) {
                return l;
            }
        }
        return "";
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
}
