package io.piecework.api.engine;

/** How much a file or piece is wanted. */
public enum Priority {
    SKIP(0), NORMAL(1), HIGH(2);

    private final int level;

    Priority(int level) {
        this.level = level;
    }

    /** The level strategies compare: 0 skips, higher comes first. */
    public int level() {
        return level;
    }
}
