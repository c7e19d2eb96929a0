package io.piecework.itests.wire;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * libtorrent-rasterbar driven through {@code ltpeer.py}: it prints what the test waits for
 * on stdout, logs its alerts to a file, and exits when we close its stdin.
 */
final class LibtorrentPeer implements AutoCloseable {
    static final String PYTHON = "/usr/bin/python3";
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final Path log;

    private LibtorrentPeer(Process process, Path log) {
        this.process = process;
        this.log = log;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("ERROR " + e);
            }
        }, "ltpeer-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    static Path script() {
        try {
            return Path.of(LibtorrentPeer.class.getResource("/python/wire/ltpeer.py").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static LibtorrentPeer start(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(PYTHON, script().toString()));
        command.addAll(List.of(args));
        Path log = dir.resolve("libtorrent-" + args[0] + ".log");
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        return new LibtorrentPeer(p, log);
    }

    /** Runs the script to completion (the {@code create} mode). */
    static void run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON, script().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("ltpeer.py " + String.join(" ", args) + " failed: " + out);
        }
    }

    /** The next line starting with {@code prefix}; fails after {@code seconds}. */
    String await(String prefix, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("libtorrent did not print '" + prefix + "' within " + seconds
                        + " s (alive: " + process.isAlive() + "); see " + log);
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /** Every line printed so far that starts with {@code prefix}, without waiting. */
    List<String> drained(String prefix) {
        List<String> all = new ArrayList<>();
        lines.drainTo(all);
        all.removeIf(l -> !l.startsWith(prefix));
        return all;
    }

    int port() throws InterruptedException {
        return Integer.parseInt(await("PORT ", 30).substring(5).trim());
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
