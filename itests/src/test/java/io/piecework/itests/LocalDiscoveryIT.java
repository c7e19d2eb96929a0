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
import org.junit.jupiter.api.Assumptions;
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
        seedAndGet(homeWithLsd("interfaces=127.0.0.1\n"));
    }

    /**
     * The same over IPv6 multicast (ff15::efc0:988f) only. Loopback here has no MULTICAST flag
     * and the kernel refuses IPv6 multicast on it, so the processes announce on a veth pair this
     * test creates (root with CAP_NET_ADMIN) and deletes; without one it is skipped, saying why.
     * The veth has no IPv4 address, so LSD runs there over IPv6 alone; both processes listen on
     * :: (the wire transport's default is 0.0.0.0), so the leecher can dial the seeder's
     * link-local address.
     */
    @Test
    void aSeederAndALeecherFindEachOtherByIpv6LocalDiscoveryAlone() throws Exception {
        String veth = "pw" + Long.toHexString(System.nanoTime() & 0xffffffL);
        String why = ip("link", "add", veth, "type", "veth", "peer", "name", "pq" + veth.substring(2));
        try {
            if (why == null) {
                // No duplicate address detection on a link of our own: the link-local address works at once.
                Files.writeString(Path.of("/proc/sys/net/ipv6/conf/" + veth + "/accept_dad"), "0");
            }
            why = why != null ? why : ip("link", "set", veth, "up");
            why = why != null ? why : ip("link", "set", "pq" + veth.substring(2), "up");
            if (why != null) {
                System.out.println("LocalDiscoveryIT: IPv6 LSD test skipped: " + why);
            }
            Assumptions.assumeTrue(why == null, "IPv6 multicast needs an interface with the MULTICAST flag; "
                    + "loopback has none here and no veth pair could be made: " + why);
            // The address appears once both ends are up; each look is one bounded `ip` run.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!linkLocalReady(veth)) {
                assertTrue(System.nanoTime() < until, "no usable link-local address on " + veth);
            }
            // Announces every 2 s: multicast is UDP, and a fresh interface may lose the first datagram.
            seedAndGet(homeWithLsd("interfaces=" + veth + "\nannounce.interval.s=2\n", "listen.address=::\n"));
        } finally {
            ip("link", "del", veth);
        }
    }

    /** Runs {@code ip}; null when it succeeded, else why not. */
    private static String ip(String... args) throws InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", command) + " did not finish";
            }
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 ? null : String.join(" ", command) + ": " + out;
        } catch (IOException e) {
            return "no ip command: " + e.getMessage();
        }
    }

    private static boolean linkLocalReady(String name) throws Exception {
        Process p = new ProcessBuilder("ip", "-6", "addr", "show", "dev", name).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out.contains("inet6 fe80") && !out.contains("tentative");
    }

    private void seedAndGet(Path home) throws Exception {
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
     * the given interfaces at a free port with a short gap between announces, a DHT without
     * bootstrap nodes, and {@code wire} as the wire transport's settings.
     */
    private Path homeWithLsd(String interfaces, String... wire) throws IOException {
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
        Files.writeString(load.resolve("io.piecework.lsd.cfg"), interfaces + "port=" + port + "\nmin.gap.ms=200\n");
        if (wire.length > 0) {
            Files.writeString(load.resolve("io.piecework.wire.transport.cfg"), String.join("", wire));
        }
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
