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

/** lt_node.py (itests' libtorrent driver) run as a process, read line by line with bounds. */
final class LibtorrentProcess implements AutoCloseable {
    private final Process process;
    private final Writer stdin;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final int port;

    LibtorrentProcess(Path script, String... args) throws IOException, InterruptedException {
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
        port = Integer.parseInt(await("PORT", 300).split(" ")[1]);
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
