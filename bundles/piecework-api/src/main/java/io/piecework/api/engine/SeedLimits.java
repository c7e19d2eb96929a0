package io.piecework.api.engine;

/**
 * When one torrent's seeding stops (as Transmission's {@code seedRatioMode}/{@code seedIdleMode}).
 *
 * @param ratio       stop once uploaded / downloaded reaches it, when {@code ratioMode} is SINGLE
 * @param idleMinutes stop after this long without uploading, when {@code idleMode} is SINGLE
 */
public record SeedLimits(Mode ratioMode, double ratio, Mode idleMode, int idleMinutes) {
    /** Whose limit applies. */
    public enum Mode {
        /** The session's ({@link QueueLimits}). */
        GLOBAL,
        /** This torrent's own. */
        SINGLE,
        /** None: seeds until stopped. */
        UNLIMITED
    }

    public SeedLimits {
        if (ratioMode == null || idleMode == null || !(ratio >= 0) || idleMinutes < 0) {
            throw new IllegalArgumentException("modes are required; ratio and idle minutes cannot be negative");
        }
    }

    /** The session's limits apply. */
    public static final SeedLimits GLOBAL = new SeedLimits(Mode.GLOBAL, 2.0, Mode.GLOBAL, 30);
}
