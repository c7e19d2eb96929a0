package io.piecework.bencode;

/**
 * Bounds that keep hostile input from exhausting the stack or the heap.
 *
 * @param maxDepth      deepest nesting of lists and dictionaries
 * @param maxStringLength longest single byte string
 * @param maxTotalSize  largest input accepted at all
 * @param maxValues     most values (of any type) in one document
 */
public record BencodeLimits(int maxDepth, int maxStringLength, int maxTotalSize, int maxValues) {
    /** Generous enough for any real .torrent (a 64 MiB document, 4M values). */
    public static final BencodeLimits DEFAULT = new BencodeLimits(64, 64 << 20, 64 << 20, 4 << 20);

    public BencodeLimits {
        if (maxDepth < 1 || maxStringLength < 0 || maxTotalSize < 0 || maxValues < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
