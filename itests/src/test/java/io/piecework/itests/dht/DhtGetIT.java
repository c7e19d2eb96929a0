package io.piecework.itests.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.itests.Distribution;
import io.piecework.itests.support.ScriptProcess;
import io.piecework.metainfo.MetainfoParser;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/piecework get 'magnet:?xt=urn:btih:HASH' -o DIR --dht-bootstrap 127.0.0.1:PORT}
 * as a user runs it, in a small DHT on 127.0.0.1: three libtorrent 2.0.8 nodes and a
 * libtorrent seeder that announced the torrent. The magnet holds nothing but the info-hash,
 * so the only way to the seeder is the DHT, joined through the one node given on the command
 * line (the launcher puts it into the DHT's configuration before the DHT starts).
 */
class DhtGetIT {
    private static final int SIZE = 1_500_000 + 77;

    @TempDir
    Path dir;

    @Test
    void getAMagnetThroughADhtNamedOnTheCommandLine() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(ScriptProcess.PYTHON)), "needs /usr/bin/python3 with python3-libtorrent");
        Path data = Files.createDirectories(dir.resolve("seed")).resolve("data.bin");
        byte[] content = new byte[SIZE];
        new Random(21).nextBytes(content);
        Files.write(data, content);
        Path torrent = dir.resolve("data.torrent");
        ScriptProcess.run(60, List.of(ScriptProcess.PYTHON, script("tracker/ltseeder.py"), "create", data.toString(),
                torrent.toString(), "16384"));
        InfoHash hash = MetainfoParser.read(torrent).infoHash();

        List<ScriptProcess> all = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ScriptProcess n = ScriptProcess.start(dir.resolve("ltdht" + i + ".log"),
                        List.of(ScriptProcess.PYTHON, script("dht/ltdht.py"), "node"));
                all.add(n);
                ports.add(Integer.parseInt(n.await("DHTPORT ", 30).substring(8).trim()));
            }
            ScriptProcess seeder = ScriptProcess.start(dir.resolve("ltseeder.log"), List.of(ScriptProcess.PYTHON,
                    script("dht/ltdht.py"), "node", torrent.toString(), data.getParent().toString()));
            all.add(seeder);
            ports.add(Integer.parseInt(seeder.await("DHTPORT ", 30).substring(8).trim()));
            int seederPort = Integer.parseInt(seeder.await("SEEDING ", 30).substring(8).trim());
            for (ScriptProcess n : all) {
                for (int p : ports) {
                    n.send("ADD " + p);
                }
            }
            awaitAnnounced(all.get(2), seeder, hash, seederPort);

            // user.home elsewhere: the shipped load/ keeps the DHT's state in ~/.local/share,
            // which this test must neither read (old nodes) nor write.
            Path home = Files.createDirectories(dir.resolve("home"));
            Path down = dir.resolve("down");
            ProcessBuilder pb = new ProcessBuilder(Distribution.home().resolve("bin/piecework").toString(), "get",
                    "magnet:?xt=urn:btih:" + hash.hex(), "-o", down.toString(),
                    "--dht-bootstrap", "127.0.0.1:" + ports.get(0), "--port", "0")
                    .redirectOutput(dir.resolve("get.out").toFile()).redirectError(dir.resolve("get.err").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("PIECEWORK_JAVA_OPTS", "-Duser.home=" + home);
            pb.environment().put("PIECEWORK_LOG", "info");
            Process get = pb.start();
            if (!get.waitFor(120, TimeUnit.SECONDS)) {
                get.destroyForcibly();
                fail("get did not finish within 120 s; stderr:\n" + Files.readString(dir.resolve("get.err")));
            }
            String out = Files.readString(dir.resolve("get.out"));
            String err = Files.readString(dir.resolve("get.err"));
            assertEquals(0, get.exitValue(), out + err);
            assertTrue(out.startsWith("complete: data.bin"), out);
            assertEquals(-1L, Files.mismatch(data, down.resolve("data.bin")), "downloaded file differs");
            assertTrue(Files.isRegularFile(home.resolve(".local/share/piecework/dht.state")),
                    "the DHT kept its state under the given user.home");
        } finally {
            all.forEach(ScriptProcess::close);
        }
    }

    /** Until a libtorrent node's get_peers finds the seeder (which announces once it has nodes). */
    private static void awaitAnnounced(ScriptProcess asker, ScriptProcess seeder, InfoHash hash, int seederPort)
            throws Exception {
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

    private static String script(String name) throws URISyntaxException {
        return Path.of(DhtGetIT.class.getResource("/python/" + name).toURI()).toString();
    }
}
