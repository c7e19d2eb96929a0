package io.piecework.bencode;

import java.nio.ByteBuffer;

/**
 * A decoded bencode value. Every value remembers where it came from, so callers can take
 * the original bytes of any part of a document (the info-hash needs the exact bytes of
 * {@code info}, not a re-encoding).
 */
public abstract sealed class BValue permits BInteger, BString, BList, BDictionary {
    private final ByteBuffer source;
    private final int start;
    private final int end;

    BValue(ByteBuffer source, int start, int end) {
        this.source = source;
        this.start = start;
        this.end = end;
    }

    /** Index of the value's first byte in the input buffer; -1 for values built in code. */
    public int start() {
        return start;
    }

    /** Index just past the value's last byte in the input buffer; -1 for values built in code. */
    public int end() {
        return end;
    }

    /** The value's original encoded bytes, as a read-only view that shares the input. */
    public ByteBuffer raw() {
        if (source == null) {
            return ByteBuffer.wrap(Bencode.encode(this)).asReadOnlyBuffer();
        }
        return source.duplicate().position(start).limit(end).slice();
    }

    ByteBuffer source() {
        return source;
    }
}
