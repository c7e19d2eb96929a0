package io.piecework.wire;

/**
 * Bounds that keep one hostile peer from costing memory or confusing the engine.
 *
 * @param maxMessageLength largest length prefix accepted for a message other than a block
 *                         (bitfields, extension messages, unknown messages)
 * @param maxBlockLength   largest block in a {@code piece} message and in a {@code request}
 */
public record WireLimits(int maxMessageLength, int maxBlockLength) {
    /** 16 KiB blocks, as every current client uses them. */
    public static final int BLOCK_LENGTH = 16 * 1024;
    /** 1 MiB for metadata and extension messages; a 1 MiB bitfield covers 8M pieces. */
    public static final WireLimits DEFAULT = new WireLimits(1 << 20, BLOCK_LENGTH);

    public WireLimits {
        if (maxMessageLength < 13 || maxBlockLength < 1) {
            throw new IllegalArgumentException("limits too small: " + maxMessageLength + ", " + maxBlockLength);
        }
    }

    /** Longest length prefix of any message: a full block with its 9 header bytes, or the general bound. */
    public long maxLengthPrefix() {
        return Math.max(maxMessageLength, maxBlockLength + 9L);
    }
}
