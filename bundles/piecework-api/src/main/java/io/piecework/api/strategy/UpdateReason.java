package io.piecework.api.strategy;

/** Why a request update was triggered; bits for {@link Picker#requestUpdate}. */
public final class UpdateReason {
    public static final int UNCHOKED = 1;
    public static final int HAVE = 1 << 1;
    public static final int PIECES_RESET = 1 << 2;
    public static final int BLOCK_RECEIVED = 1 << 3;
    public static final int REJECTED = 1 << 4;
    public static final int TIMED_OUT = 1 << 5;
    public static final int PRIORITY = 1 << 6;
    public static final int PIECE_FAILED = 1 << 7;
    public static final int STRATEGY_SWAPPED = 1 << 8;
    /** The peer's pipeline is empty: a batching strategy should not wait for its interval. */
    public static final int PIPELINE_DRY = 1 << 9;

    private UpdateReason() {
    }
}
