package io.piecework.tracker;

/**
 * Bounds on what a tracker may make us hold.
 *
 * @param maxResponseBytes largest HTTP body read at all; larger ones are refused
 * @param maxPeers         peers kept from one response; the rest are dropped
 * @param maxMessageChars  longest failure or warning text kept
 */
public record TrackerLimits(int maxResponseBytes, int maxPeers, int maxMessageChars) {
    public static final TrackerLimits DEFAULT = new TrackerLimits(1 << 20, 1000, 512);

    public TrackerLimits {
        if (maxResponseBytes < 64 || maxPeers < 0 || maxMessageChars < 16) {
            throw new IllegalArgumentException("tracker limits too small: " + maxResponseBytes + "/" + maxPeers
                    + "/" + maxMessageChars);
        }
    }

    /** Truncates a tracker's text to {@link #maxMessageChars()}. */
    String clip(String text) {
        return text.length() <= maxMessageChars ? text : text.substring(0, maxMessageChars) + "...";
    }
}
