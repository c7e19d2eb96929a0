package io.piecework.itests.tracker;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.itests.support.Conditions;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's opentracker on a loopback port, HTTP and UDP on the same number. Debian builds it
 * in whitelist mode: the info-hashes it serves are written to the file named by
 * {@code access.whitelist} in the config given with {@code -f}.
 */
public final class Opentracker implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/opentracker");
    private final Process process;
    final int port;

    private Opentracker(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static Opentracker start(Path dir, List<InfoHash> whitelist) throws IOException, InterruptedException {
        // Started as root, opentracker drops to "nobody" before it reads the whitelist: a
        // temporary directory is private to us, so open it for reading.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path list = dir.resolve("whitelist.txt");
        StringBuilder hashes = new StringBuilder();
        whitelist.forEach(h -> hashes.append(h.hex()).append('\n'));
        Files.writeString(list, hashes);
        Files.setPosixFilePermissions(list, PosixFilePermissions.fromString("rw-r--r--"));
        Path config = Files.writeString(dir.resolve("opentracker.conf"),
                "access.whitelist " + list.toAbsolutePath() + "\n");
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            Process p = new ProcessBuilder(BINARY.toString(), "-i", "127.0.0.1", "-p", Integer.toString(port),
                    "-P", Integer.toString(port), "-f", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("opentracker-" + port + ".log").toFile())
                    .start();
            if (answers(port, p) && whitelistLoaded(port, whitelist)) {
                return new Opentracker(p, port);
            }
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            last = new IOException("opentracker did not answer on 127.0.0.1:" + port);
        }
        throw last;
    }

    /** A port free for TCP and UDP at the moment; another process may take it, hence the retries. */
    private static int freePort() throws IOException {
        while (true) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = s.getLocalPort();
                try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                    return port;
                } catch (IOException udpTaken) {
                    // try another
                }
            }
        }
    }

    /** Waits (bounded) until the HTTP port accepts connections. */
    private static boolean answers(int port, Process p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && p.isAlive()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return true;
            } catch (IOException notYet) {
                p.waitFor(50, TimeUnit.MILLISECONDS); // returns early if the process dies
            }
        }
        return false;
    }

    /**
     * opentracker reads its whitelist on a thread of its own after it starts listening:
     * waits (bounded) until an announce for each hash is no longer refused, then takes the
     * probe out of the swarm again. (A stopped announce is never refused, so it cannot probe.)
     */
    private static boolean whitelistLoaded(int port, List<InfoHash> whitelist) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (InfoHash h : whitelist) {
            StringBuilder escaped = new StringBuilder();
            for (byte b : h.bytes()) {
                escaped.append(String.format("%%%02X", b & 0xff));
            }
            URI probe = URI.create("http://127.0.0.1:" + port + "/announce?info_hash=" + escaped
                    + "&peer_id=-PROBE-0000000000000&port=1&uploaded=0&downloaded=0&left=0&compact=1");
            long left = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            if (!Conditions.within(left, () -> accepted(client, probe))) {
                return false;
            }
        }
        return true;
    }

    /** Whether opentracker accepts an announce for the probe (then takes the probe out again). */
    private static boolean accepted(HttpClient client, URI probe) {
        try {
            String body = client.send(HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1)).body();
            if (body.contains("failure reason")) {
                return false;
            }
            client.send(HttpRequest.newBuilder(URI.create(probe + "&event=stopped"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the wait's next sleep throws it
            return false;
        }
    }

    public URI http() {
        return URI.create("http://127.0.0.1:" + port + "/announce");
    }

    public URI udp() {
        return URI.create("udp://127.0.0.1:" + port + "/announce");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
