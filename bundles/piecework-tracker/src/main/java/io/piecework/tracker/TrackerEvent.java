package io.piecework.tracker;

/** The {@code event} of an announce; {@link #udpCode()} is its number in BEP 15. */
public enum TrackerEvent {
    NONE(0, null),
    COMPLETED(1, "completed"),
    STARTED(2, "started"),
    STOPPED(3, "stopped");

    private final int udpCode;
    private final String httpName;

    TrackerEvent(int udpCode, String httpName) {
        this.udpCode = udpCode;
        this.httpName = httpName;
    }

    public int udpCode() {
        return udpCode;
    }

    /** The HTTP {@code event} value, or null when the parameter is left out. */
    public String httpName() {
        return httpName;
    }
}
