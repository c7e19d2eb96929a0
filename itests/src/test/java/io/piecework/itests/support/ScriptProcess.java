package io.piecework.itests.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An external helper (a python script, a server) driven over stdout lines: the test waits
 * for what it prints, with a bound; stderr goes to a log file; closing stdin asks it to exit
 * and {@link #close()} kills it if it does not within a few seconds.
 */
public final class ScriptProcess implements AutoCloseable {
    public static final String PYTHON = "/usr/bin/python3";
    private final Process process;
    private final BlockingQueue<String> lines;
    private final Path log;

    private ScriptProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.lines = Lines.follow(process.getInputStream(), "script-stdout");
    }

    /** Starts {@code command}, its stderr to {@code log}. */
    public static ScriptProcess start(Path log, List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        return new ScriptProcess(p, log);
    }

    /** Runs {@code command} to completion within {@code seconds}; fails with its output otherwise. */
    public static void run(int seconds, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    /** The next line starting with {@code prefix}; fails after {@code seconds}. */
    public String await(String prefix, int seconds) throws InterruptedException {
        String line = poll(prefix, seconds);
        if (line == null) {
            throw new AssertionError("no line '" + prefix + "' within " + seconds + " s (alive: "
                    + process.isAlive() + "); end of " + log + ":\n" + tail(log, 4000));
        }
        return line;
    }

    /**
     * The next line starting with {@code prefix}, or null after {@code seconds} or as soon as the
     * process has ended without printing it (no waiting out the bound for a dead helper).
     */
    public String pollWhileAlive(String prefix, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            boolean ended = !process.isAlive();
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && ended) {
                return null;
            }
        }
        return null;
    }

    /** How the process ended (or that it runs), with the end of its log. */
    public String describeEnd() {
        String status = process.isAlive() ? "still running" : "exit status " + process.exitValue();
        return status + "; end of " + log + ":\n" + tail(log, 4000);
    }

    /** The next line starting with {@code prefix}, or null after {@code seconds}; other lines are skipped. */
    public String poll(String prefix, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null || line.startsWith(prefix)) {
                return line;
            }
        }
    }

    private static String tail(Path file, int chars) {
        try {
            String all = Files.readString(file, StandardCharsets.UTF_8);
            return all.substring(Math.max(0, all.length() - chars));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Lines printed so far that start with {@code prefix}, without waiting. */
    public List<String> drained(String prefix) {
        List<String> all = new ArrayList<>();
        lines.drainTo(all);
        all.removeIf(l -> !l.startsWith(prefix));
        return all;
    }

    /** Writes one line to the process's stdin. */
    public void send(String line) throws IOException {
        var in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Kills the process at once, as a peer that vanishes would. */
    public void kill() {
        process.destroyForcibly();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
