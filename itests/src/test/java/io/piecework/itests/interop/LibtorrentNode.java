package io.piecework.itests.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A running lt_node.py: a libtorrent seeder or leecher the test talks to over stdin/stdout. */
final class LibtorrentNode implements AutoCloseable {
    private final Process process;
    private final Writer stdin;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final int port;

    LibtorrentNode(Path script, String mode, Path torrent, Path savePath, String... extra)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Libtorrent.PYTHON, script.toString(), mode,
                torrent.toString(), savePath.toString()));
        command.addAll(List.of(extra));
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "lt-node-reader");
        reader.setDaemon(true);
        reader.start();
        port = Integer.parseInt(await("PORT", 120).split(" ")[1]);
    }

    /** Waits for the next line starting with {@code prefix}; fails after {@code seconds}. */
    String await(String prefix, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("libtorrent did not say " + prefix + " within " + seconds + " s"
                        + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")"));
            }
            if (line.startsWith("HASHFAILED")) {
                throw new AssertionError("libtorrent found a piece that failed its hash check: " + line);
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    void send(String command) throws IOException {
        stdin.write(command + "\n");
        stdin.flush();
    }

    void connect(int peerPort) throws IOException {
        send("CONNECT " + peerPort);
    }

    /** Kills the process at once, as a peer that vanishes would. */
    void kill() {
        process.destroyForcibly();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
