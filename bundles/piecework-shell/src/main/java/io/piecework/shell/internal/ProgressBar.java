package io.piecework.shell.internal;

import io.piecework.api.metainfo.CreateProgress;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Shows how far a long job (hashing) has got, on stderr so stdout stays clean for scripts.
 * On a terminal one line is redrawn with {@code \r} at most 10 times a second; otherwise a
 * plain line is printed at most every 2 seconds, so logs do not fill up. Safe to call from
 * several hashing threads: it keeps the largest count seen.
 */
final class ProgressBar implements CreateProgress {
    static final long TERMINAL_INTERVAL = TimeUnit.MILLISECONDS.toNanos(100);
    static final long PLAIN_INTERVAL = TimeUnit.SECONDS.toNanos(2);
    private static final int WIDTH = 30;

    private final String label;
    private final PrintStream err;
    private final boolean terminal;
    private final LongSupplier nanoClock;
    private final long start;
    private long nextDraw;
    private long done;
    private long total;
    private int drawnLength;

    ProgressBar(String label, PrintStream err, boolean terminal, LongSupplier nanoClock) {
        this.label = label;
        this.err = err;
        this.terminal = terminal;
        this.nanoClock = nanoClock;
        this.start = nanoClock.getAsLong();
        // The first plain line only after an interval: short jobs print no progress at all.
        this.nextDraw = start + (terminal ? TERMINAL_INTERVAL : PLAIN_INTERVAL);
    }

    @Override
    public synchronized void hashed(long bytesHashed, long totalBytes) {
        done = Math.max(done, bytesHashed);
        total = totalBytes;
        long now = nanoClock.getAsLong();
        if (now - nextDraw < 0) {
            return;
        }
        nextDraw = now + (terminal ? TERMINAL_INTERVAL : PLAIN_INTERVAL);
        double seconds = (now - start) / 1e9;
        if (terminal) {
            String text = label + " " + bar(done, total, seconds);
            // Blank out what is left of a longer previous line.
            err.print("\r" + text + " ".repeat(Math.max(0, drawnLength - text.length())));
            drawnLength = text.length();
        } else {
            err.println(label + ": " + line(done, total, seconds));
        }
        err.flush();
    }

    /** Ends the redrawn line so what follows starts on a fresh one. */
    synchronized void finish() {
        if (terminal && drawnLength > 0) {
            String text = label + " " + bar(total, total, (nanoClock.getAsLong() - start) / 1e9);
            err.println("\r" + text + " ".repeat(Math.max(0, drawnLength - text.length())));
            drawnLength = 0;
        }
    }

    /** {@code [###############...............]  50%  12.0 MiB/s  ETA 0:04}. */
    static String bar(long done, long total, double elapsedSeconds) {
        int filled = (int) (WIDTH * fraction(done, total));
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%", percent(done, total)) + "  "
                + Sizes.rate(rate(done, elapsedSeconds)) + "  ETA " + eta(done, total, elapsedSeconds);
    }

    /** {@code 50% (6.0 MiB of 12.0 MiB), 12.0 MiB/s, ETA 0:04}. */
    static String line(long done, long total, double elapsedSeconds) {
        return percent(done, total) + "% (" + Sizes.human(done) + " of " + Sizes.human(total) + "), "
                + Sizes.rate(rate(done, elapsedSeconds)) + ", ETA " + eta(done, total, elapsedSeconds);
    }

    private static double fraction(long done, long total) {
        return total <= 0 ? 1.0 : Math.min(1.0, (double) done / total);
    }

    private static int percent(long done, long total) {
        return (int) (100 * fraction(done, total));
    }

    private static double rate(long done, double elapsedSeconds) {
        return elapsedSeconds <= 0 ? 0 : done / elapsedSeconds;
    }

    private static String eta(long done, long total, double elapsedSeconds) {
        double rate = rate(done, elapsedSeconds);
        if (done >= total) {
            return Sizes.duration(0);
        }
        if (rate <= 0) {
            return "-:--";
        }
        return Sizes.duration((long) Math.ceil((total - done) / rate));
    }
}
