package io.piecework.benchmarks.engine;

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

/**
 * A libtorrent driver script (itests' lt_node.py, lt_magnet.py) run as a process, read line by line
 * with bounds; the one process reader of this module.
 */
final class LibtorrentProcess implements AutoCloseable {
    private final Process process;
    private final Writer stdin;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final int port;

    /** Starts a script that prints "PORT n" once ready (lt_node.py, lt_magnet.py seed) and waits for that. */
    LibtorrentProcess(Path script, String... args) throws IOException, InterruptedException {
        this(script, true, args);
    }

    private LibtorrentProcess(Path script, boolean awaitPort, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString()));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        port = awaitPort ? Integer.parseInt(await("PORT", 300).split(" ")[1]) : -1;
    }

    /** Starts a script that listens on no port (lt_magnet.py fetch); read its lines with await. */
    static LibtorrentProcess client(Path script, String... args) throws IOException, InterruptedException {
        return new LibtorrentProcess(script, false, args);
    }

    String await(String prefix, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException("libtorrent did not say " + prefix + " within " + seconds + " s");
            }
            if (line.startsWith("HASHFAILED")) {
                throw new IllegalStateException("libtorrent: " + line);
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /** CPU seconds libtorrent's process has used so far. */
    double cpuSeconds() throws IOException, InterruptedException {
        stdin.write("STATS\n");
        stdin.flush();
        return Double.parseDouble(await("STATS", 30).split(" ")[3]);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // gone already
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
