package io.piecework.tracker;

/**
 * A tracker said no ({@link #reportedByTracker()}: a {@code failure reason} or a BEP 15 error
 * packet), or sent something we do not accept.
 */
public final class TrackerException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean reportedByTracker;

    public TrackerException(String message, boolean reportedByTracker) {
        super(message);
        this.reportedByTracker = reportedByTracker;
    }

    public TrackerException(String message, Throwable cause) {
        super(message, cause);
        this.reportedByTracker = false;
    }

    public static TrackerException malformed(String message) {
        return new TrackerException(message, false);
    }

    /** True when the tracker answered with an error of its own, false for transport or parse errors. */
    public boolean reportedByTracker() {
        return reportedByTracker;
    }
}
