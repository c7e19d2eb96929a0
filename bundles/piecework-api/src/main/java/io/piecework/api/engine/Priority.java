package io.piecework.api.engine;

/**
 * How much a file or piece is wanted. LOW (API 1.4) is fetched after normal pieces, as
 * Transmission's and qBittorrent's low priority is; the level is also the constant's ordinal.
 */
public enum Priority {
    SKIP(0), LOW(1), NORMAL(2), HIGH(3);

    private final int level;

    Priority(int level) {
        this.level = level;
    }

    /** The level strategies compare: 0 skips, higher comes first. */
    public int level() {
        return level;
    }
}
