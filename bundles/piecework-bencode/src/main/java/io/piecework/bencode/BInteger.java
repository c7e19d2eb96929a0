package io.piecework.bencode;

import java.nio.ByteBuffer;

/** A bencode integer; values outside the range of {@code long} are rejected when decoding. */
public final class BInteger extends BValue {
    private final long value;

    BInteger(ByteBuffer source, int start, int end, long value) {
        super(source, start, end);
        this.value = value;
    }

    public static BInteger of(long value) {
        return new BInteger(null, -1, -1, value);
    }

    public long value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BInteger other && other.value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
