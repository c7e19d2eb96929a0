package io.piecework.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Piecework processes on this host find each other by local service discovery (BEP 14)
 * alone: the torrent has no tracker, no peer is given, the DHT has no bootstrap node. Both run
 * the distribution from a copy of its home whose load/ puts LSD on loopback, on a group port
 * found free at run time.
 */
class LocalDiscoveryIT {
    private static final int TIMEOUT_S = 120;

    @TempDir
    Path dir;

    @Test
    void aSeederAndALeecherFindEachOtherByLocalDiscoveryAlone() throws Exception {
        Path home = homeWithLsdOnLoopback();
        Path data = Files.createDirectories(dir.resolve("seed"));
        byte[] payload = new byte[3 * 1024 * 1024 + 12345];
        new SplittableRandom(14).nextBytes(payload);
        Files.write(data.resolve("local.bin"), payload);
        Path torrent = dir.resolve("local.torrent");
        run(home, "create", data.resolve("local.bin").toString(), "-o", torrent.toString());

        Path seedErr = dir.resolve("seed.err");
        ProcessBuilder seed = new ProcessBuilder(home.resolve("bin/piecework").toString(), "seed", torrent.toString(),
                "--data", data.toString(), "--port", "0").redirectErrorStream(false)
                .redirectOutput(dir.resolve("seed.out").toFile()).redirectError(seedErr.toFile());
        seed.environment().put("PIECEWORK_LOG", "info"); // what it found, should the leecher not finish
        Process seeder = seed.start();
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            while (!Files.readString(seedErr).contains("seeding ")) {
                if (!seeder.isAlive() || System.nanoTime() > until) {
                    fail("the seeder did not start: " + Files.readString(seedErr));
                }
                seeder.waitFor(100, TimeUnit.MILLISECONDS);
            }
            Path down = Files.createDirectories(dir.resolve("down"));
            try {
                run(home, "get", torrent.toString(), "-o", down.toString(), "--port", "0");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nthe seeder said:\n" + Files.readString(seedErr), e);
            }
            assertEquals(-1L, Files.mismatch(data.resolve("local.bin"), down.resolve("local.bin")));
        } finally {
            seeder.destroy();
            if (!seeder.waitFor(30, TimeUnit.SECONDS)) {
                seeder.destroyForcibly();
            }
        }
    }

    /**
     * The distribution's home again, its jars and settings linked, with its own load/: LSD on
     * 127.0.0.1 at a free port with a short gap between announces, a DHT without bootstrap nodes.
     */
    private Path homeWithLsdOnLoopback() throws IOException {
        Path real = Distribution.home();
        Path home = Files.createDirectories(dir.resolve("home"));
        try (Stream<Path> entries = Files.list(real)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (name.equals("bin")) {
                    Files.createDirectories(home.resolve("bin"));
                    try (Stream<Path> bins = Files.list(entry)) {
                        for (Path b : bins.toList()) {
                            Files.copy(b, home.resolve("bin").resolve(b.getFileName()),
                                    java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                        }
                    }
                } else if (!name.equals("load")) {
                    Files.createSymbolicLink(home.resolve(name), entry);
                }
            }
        }
        Path load = Files.createDirectories(home.resolve("load"));
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Files.writeString(load.resolve("io.piecework.lsd.cfg"),
                "interfaces=127.0.0.1\nport=" + port + "\nmin.gap.ms=200\n");
        Files.writeString(load.resolve("io.piecework.dht.cfg"),
                "bootstrap.nodes=\nport=0\nstate.file=" + dir.resolve("dht.state") + "\n");
        return home;
    }

    private void run(Path home, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(home.resolve("bin/piecework").toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("run.out");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("PIECEWORK_LOG", "info");
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("bin/piecework " + String.join(" ", args) + " did not finish within " + TIMEOUT_S + " s: "
                    + Files.readString(out));
        }
        assertTrue(p.exitValue() == 0, "bin/piecework " + String.join(" ", args) + ": " + Files.readString(out));
    }
}
