package io.piecework.webui.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.piecework.compare.Comparison;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The strategy comparison started from the page: one run at a time on a thread of its own,
 * with the scenario's size fixed small (the daemon's engine shares the CPU) and only the
 * seconds per strategy chosen; its CSV (the same data as {@code compare --csv}) becomes the
 * JSON the page draws. {@link #close()} interrupts a run when the component goes.
 */
final class CompareRuns implements AutoCloseable {
    /** Allowed seconds per strategy: a bounded menu, not free input. */
    static final List<Integer> SECONDS = List.of(1, 2, 5, 10);
    private static final List<String> SCENARIO = List.of("--torrents", "20", "--peers", "8", "--pieces", "512");

    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "piecework-webui-compare");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile JsonObject last = new JsonObject();

    /** Starts a run; false when one is running already. */
    boolean start(Comparison comparison, int seconds) {
        if (!SECONDS.contains(seconds)) {
            throw new IllegalArgumentException("seconds must be one of " + SECONDS);
        }
        if (!running.compareAndSet(false, true)) {
            return false;
        }
        runner.execute(() -> {
            try {
                last = run(comparison, seconds);
            } catch (Exception | LinkageError e) {
                JsonObject failed = new JsonObject();
                failed.addProperty("error", "the comparison failed: " + e.getMessage());
                last = failed;
            } finally {
                running.set(false);
            }
        });
        return true;
    }

    /** The state: {@code running}, and the last run's {@code columns} and {@code rows}, or its {@code error}. */
    JsonObject state() {
        JsonObject out = last.deepCopy();
        out.addProperty("running", running.get());
        return out;
    }

    private static JsonObject run(Comparison comparison, int seconds) throws IOException, InterruptedException {
        Path csv = Files.createTempFile("piecework-webui-compare-", ".csv");
        try {
            List<String> args = new java.util.ArrayList<>(SCENARIO);
            args.addAll(List.of("--seconds", String.valueOf(seconds), "--csv", csv.toString()));
            PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            comparison.run(args, quiet, quiet, csv.getParent());
            return table(Files.readAllLines(csv, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(csv);
        }
    }

    /** The CSV (a header of column ids with units, a row per strategy; strategy names are plain) as JSON. */
    static JsonObject table(List<String> lines) {
        JsonObject out = new JsonObject();
        JsonArray columns = new JsonArray();
        JsonArray rows = new JsonArray();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            JsonArray row = new JsonArray();
            for (String cell : lines.get(i).split(",", -1)) {
                row.add(cell);
            }
            if (i == 0) {
                columns = row;
            } else {
                rows.add(row);
            }
        }
        out.add("columns", columns);
        out.add("rows", rows);
        return out;
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
