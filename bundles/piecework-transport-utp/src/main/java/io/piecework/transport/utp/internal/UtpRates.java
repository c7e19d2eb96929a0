package io.piecework.transport.utp.internal;

import io.piecework.transport.RateBudget;

/**
 * Rate limits on uTP: a pair of token buckets ({@link RateBudget}, download and upload) for the
 * whole transport and one for each registered torrent; a connection draws on both ({@link Gate}).
 * The transport's pair is its own, or the engine's budgets shared with the TCP transport.
 *
 * <p>Uploads: the stream moves bytes into the socket's send queue only as the buckets grant them,
 * and when they are empty tries again after their wait, on the event loop (no thread, no timer per
 * byte). Downloads: what arrives is charged to the buckets; while they are in debt the connection
 * holds the bytes instead of decoding them, and the held bytes shrink the receive window it
 * advertises, so the sender slows down instead of filling memory. Payload bytes are counted; uTP
 * headers and ACKs are not (about 1.5 % of a full packet).
 */
final class UtpRates {
    /** One direction pair of budgets; swapped for shared ones as a whole. */
    record Pair(RateBudget download, RateBudget upload) {
        static Pair unlimited() {
            return new Pair(new RateBudget(), new RateBudget());
        }
    }

    /** The budgets of the transport or of one torrent: its own, or ones shared with other transports. */
    static final class Limits {
        private final Pair own = Pair.unlimited();
        private volatile Pair current = own;

        /** Sets this holder's own rates and uses them. */
        void limit(long downloadBytesPerSecond, long uploadBytesPerSecond) {
            if (downloadBytesPerSecond < 0 || uploadBytesPerSecond < 0) {
                throw new IllegalArgumentException("rate limits must be 0 (unlimited) or positive, not "
                        + downloadBytesPerSecond + "/" + uploadBytesPerSecond);
            }
            own.download().rate(downloadBytesPerSecond);
            own.upload().rate(uploadBytesPerSecond);
            current = own;
        }

        /** Draws on budgets shared with other transports from now on. */
        void share(RateBudget download, RateBudget upload) {
            current = new Pair(download, upload);
        }

        Pair current() {
            return current;
        }
    }

    private UtpRates() {
    }

    /**
     * One connection's view: the transport's limits and, once the handshake names the torrent,
     * the torrent's. Used on the event loop; the budgets themselves are thread-safe.
     */
    static final class Gate {
        private final Limits transport;
        private volatile Limits torrent;

        Gate(Limits transport) {
            this.transport = transport;
        }

        void torrent(Limits limits) {
            torrent = limits;
        }

        /** Bytes that may be sent now, at most {@code wanted}; taken from every budget. */
        int grantUpload(int wanted) {
            RateBudget first = transport.current().upload();
            int granted = (int) first.take(wanted);
            Limits t = torrent;
            if (t != null && granted > 0) {
                int second = (int) t.current().upload().take(granted);
                first.refund(granted - second);
                granted = second;
            }
            return granted;
        }

        /** Gives back what was granted and not taken by the socket. */
        void refundUpload(int bytes) {
            transport.current().upload().refund(bytes);
            Limits t = torrent;
            if (t != null) {
                t.current().upload().refund(bytes);
            }
        }

        long uploadWaitNanos() {
            Limits t = torrent;
            return Math.max(transport.current().upload().waitNanos(), t == null ? 0 : t.current().upload().waitNanos());
        }

        /** Counts bytes received and handed on. */
        void downloaded(int bytes) {
            transport.current().download().charge(bytes);
            Limits t = torrent;
            if (t != null) {
                t.current().download().charge(bytes);
            }
        }

        /** How long to hold what arrives before reading on: 0 unless a budget is in debt. */
        long downloadWaitNanos() {
            Limits t = torrent;
            return Math.max(transport.current().download().waitNanos(),
                    t == null ? 0 : t.current().download().waitNanos());
        }
    }
}
