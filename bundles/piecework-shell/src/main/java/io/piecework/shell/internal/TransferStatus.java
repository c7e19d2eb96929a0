package io.piecework.shell.internal;

import io.piecework.api.engine.TorrentState;
import io.piecework.api.engine.TorrentStats;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A running torrent's status on stderr: on a terminal one line redrawn with {@code \r}
 * (bar, percent, rate, peers, ETA); otherwise a plain line every {@link #PLAIN_INTERVAL}, so
 * logs stay readable. The caller polls {@link #show} as often as it likes.
 */
final class TransferStatus {
    static final long TERMINAL_INTERVAL = TimeUnit.MILLISECONDS.toNanos(250);
    static final long PLAIN_INTERVAL = TimeUnit.SECONDS.toNanos(2);
    private static final int WIDTH = 24;

    private final PrintStream err;
    private final boolean terminal;
    /** A plain line that says nothing new is repeated only this often (an idle seed). */
    static final long PLAIN_REPEAT = TimeUnit.SECONDS.toNanos(60);
    private long nextDraw = System.nanoTime();
    private int drawnLength;
    private String lastPlain = "";
    private long lastPlainAt;

    TransferStatus(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    void show(TorrentStats s) {
        long now = System.nanoTime();
        if (now - nextDraw < 0) {
            return;
        }
        nextDraw = now + (terminal ? TERMINAL_INTERVAL : PLAIN_INTERVAL);
        // A magnet's torrent has no pieces until its metadata has arrived.
        String text = s.state() == TorrentState.SEEDING ? seeding(s)
                : s.pieces() == 0 ? "fetching metadata  " + peers(s.peers()) : downloading(s);
        if (terminal) {
            err.print("\r" + text + " ".repeat(Math.max(0, drawnLength - text.length())));
            drawnLength = text.length();
        } else if (!text.equals(lastPlain) || now - lastPlainAt >= PLAIN_REPEAT) {
            err.println(text);
            lastPlain = text;
            lastPlainAt = now;
        }
        err.flush();
    }

    /** Ends a redrawn line so what follows starts on a fresh one. */
    void finish() {
        if (terminal && drawnLength > 0) {
            err.println();
            drawnLength = 0;
        }
    }

    /** {@code [######..........]  37%  23.5 MiB of 64.0 MiB  5.1 MiB/s  2 peers  ETA 0:08  pieces 95/256}. */
    static String downloading(TorrentStats s) {
        String state = s.state() == TorrentState.DOWNLOADING ? "" : s.state().name().toLowerCase(Locale.ROOT) + "  ";
        int filled = (int) (WIDTH * Math.min(1.0, s.progress()));
        return state + "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%", (int) (100 * s.progress())) + "  "
                + Sizes.human(s.verifiedBytes()) + " of " + Sizes.human(s.wantedBytes()) + "  "
                + Sizes.rate(s.downloadRate()) + "  " + peers(s.peers()) + "  ETA "
                + (s.etaSeconds() < 0 ? "-:--" : Sizes.duration(s.etaSeconds()))
                + "  pieces " + s.piecesVerified() + "/" + s.pieces();
    }

    /** {@code seeding  uploaded 12.0 MiB  3.1 MiB/s  2 peers}. */
    static String seeding(TorrentStats s) {
        return "seeding  uploaded " + Sizes.human(s.uploaded()) + "  " + Sizes.rate(s.uploadRate()) + "  "
                + peers(s.peers());
    }

    static String peers(int n) {
        return n + (n == 1 ? " peer" : " peers");
    }
}
