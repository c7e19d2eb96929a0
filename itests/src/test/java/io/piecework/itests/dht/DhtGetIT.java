package io.piecework.itests.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.itests.Distribution;
import io.piecework.itests.support.ScriptProcess;
import io.piecework.metainfo.MetainfoParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import io.piecework.itests.support.Lines;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/piecework get} and {@code seed} with {@code --dht-bootstrap 127.0.0.1:PORT} as a
 * user runs them, in a small DHT on 127.0.0.1 of three libtorrent 2.0.8 nodes that know each
 * other. The magnets hold nothing but the info-hash, so the only way between the peers is the
 * DHT, joined through the one node given on the command line (the launcher puts it into the
 * DHT's configuration before the DHT starts; without it, the run would try the public routers).
 */
class DhtGetIT {
    private static final int SIZE = 1_500_000 + 77;

    @TempDir
    Path dir;
    private final List<ScriptProcess> scripts = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private Path data;
    private Path torrent;
    private InfoHash hash;

    @BeforeEach
    void startDht() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(ScriptProcess.PYTHON)), "needs /usr/bin/python3 with python3-libtorrent");
        data = Files.createDirectories(dir.resolve("seed")).resolve("data.bin");
        byte[] content = new byte[SIZE];
        new Random(21).nextBytes(content);
        Files.write(data, content);
        torrent = dir.resolve("data.torrent");
        ScriptProcess.run(60, List.of(ScriptProcess.PYTHON, script("tracker/ltseeder.py"), "create", data.toString(),
                torrent.toString(), "16384"));
        hash = MetainfoParser.read(torrent).infoHash();
        for (int i = 0; i < 3; i++) {
            ports.add(dhtScript("ltdht" + i, "node"));
        }
        for (ScriptProcess n : scripts) {
            for (int p : ports) {
                n.send("ADD " + p);
            }
        }
    }

    @AfterEach
    void stopDht() {
        scripts.forEach(ScriptProcess::close);
    }

    /** Starts ltdht.py with {@code args}; its DHT port. */
    private int dhtScript(String name, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ScriptProcess.PYTHON, script("dht/ltdht.py")));
        command.addAll(List.of(args));
        ScriptProcess s = ScriptProcess.start(dir.resolve(name + ".log"), command);
        scripts.add(s);
        return Integer.parseInt(s.await("DHTPORT ", 30).substring(8).trim());
    }

    /** bin/piecework with a user.home of its own: the shipped load/ keeps the DHT's state there. */
    private ProcessBuilder piecework(String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Distribution.home().resolve("bin/piecework").toString()));
        command.addAll(List.of(args));
        Path home = Files.createDirectories(dir.resolve(name + "-home"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("PIECEWORK_JAVA_OPTS", "-Duser.home=" + home);
        pb.environment().put("PIECEWORK_LOG", "info");
        return pb;
    }

    @Test
    void getsAnInfoHashOnlyMagnetThroughTheDhtNodeNamedOnTheCommandLine() throws Exception {
        int seederDht = dhtScript("ltseeder", "node", torrent.toString(), data.getParent().toString());
        ScriptProcess seeder = scripts.get(scripts.size() - 1);
        int seederPort = Integer.parseInt(seeder.await("SEEDING ", 30).substring(8).trim());
        for (int i = 0; i < 3; i++) {
            scripts.get(i).send("ADD " + seederDht);
            seeder.send("ADD " + ports.get(i));
        }
        awaitAnnounced(scripts.get(2), seeder, seederPort);

        Path down = dir.resolve("down");
        Process get = piecework("get", "get", "magnet:?xt=urn:btih:" + hash.hex(), "-o", down.toString(),
                "--dht-bootstrap", "127.0.0.1:" + ports.get(0), "--port", "0")
                .redirectError(dir.resolve("get.err").toFile()).start();
        if (!get.waitFor(120, TimeUnit.SECONDS)) {
            get.destroyForcibly();
            fail("get did not finish within 120 s; stderr:\n" + Files.readString(dir.resolve("get.err")));
        }
        String out = Files.readString(dir.resolve("get.out"));
        assertEquals(0, get.exitValue(), out + Files.readString(dir.resolve("get.err")));
        assertTrue(out.startsWith("complete: data.bin"), out);
        assertEquals(-1L, Files.mismatch(data, down.resolve("data.bin")), "downloaded file differs");
        assertTrue(Files.isRegularFile(dir.resolve("get-home/.local/share/piecework/dht.state")),
                "the DHT kept its state under the given user.home");
    }

    @Test
    void seedAnnouncesIntoTheDhtNodeNamedOnTheCommandLine() throws Exception {
        Process seed = piecework("seed", "seed", torrent.toString(), "--data", data.getParent().toString(),
                "--dht-bootstrap", "127.0.0.1:" + ports.get(0), "--port", "0").start();
        try {
            BlockingQueue<String> err = lines(seed);
            String line;
            do {
                line = err.poll(60, TimeUnit.SECONDS);
                assertTrue(line != null, "seed did not start seeding within 60 s");
            } while (!line.startsWith("seeding data.bin"));

            Path down = Files.createDirectories(dir.resolve("lt-down"));
            int leecherDht = dhtScript("ltleecher", "magnet", hash.hex(), down.toString());
            ScriptProcess leecher = scripts.get(scripts.size() - 1);
            for (int i = 0; i < 3; i++) {
                leecher.send("ADD " + ports.get(i));
                scripts.get(i).send("ADD " + leecherDht);
            }
            leecher.send("GET");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            // Our seeder announces once it has joined: ask libtorrent to look again until it has the torrent.
            while (leecher.poll("DONE", 3) == null) {
                assertTrue(System.nanoTime() < deadline, "libtorrent did not get the torrent from our seeder within 90 s; see "
                        + leecher.log());
                leecher.send("REANNOUNCE");
            }
            assertEquals(-1L, Files.mismatch(data, down.resolve("data.bin")), "libtorrent's copy differs");
        } finally {
            seed.destroy(); // SIGTERM: the framework stops cleanly
            if (!seed.waitFor(30, TimeUnit.SECONDS)) {
                seed.destroyForcibly();
            }
        }
    }

    /** Until a libtorrent node's get_peers finds the seeder (which announces once it has nodes). */
    private void awaitAnnounced(ScriptProcess asker, ScriptProcess seeder, int seederPort) throws Exception {
        String expected = " 127.0.0.1:" + seederPort;
        List<String> replies = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (replies.stream().noneMatch(l -> l.contains(expected)) && System.nanoTime() < deadline) {
            seeder.send("REANNOUNCE");
            asker.send("GETPEERS " + hash.hex());
            replies.add(asker.await("PEERS " + hash.hex(), 10));
        }
        assertTrue(replies.stream().anyMatch(l -> l.contains(expected)), "the seeder is not in the DHT: " + replies);
    }

    private static BlockingQueue<String> lines(Process p) {
        return Lines.follow(p.getErrorStream(), "seed-stderr");
    }

    private static String script(String name) throws URISyntaxException {
        return Path.of(DhtGetIT.class.getResource("/python/" + name).toURI()).toString();
    }
}
