package io.piecework.itests.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A process's output, line by line, read on a daemon thread so a full pipe never blocks it. */
public final class Lines {
    private Lines() {
    }

    /** Follows {@code in} until it ends; the lines arrive in the returned queue as they are printed. */
    public static BlockingQueue<String> follow(InputStream in, String threadName) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended or was killed; its exit status says how
            }
        }, threadName);
        reader.setDaemon(true);
        reader.start();
        return lines;
    }
}
