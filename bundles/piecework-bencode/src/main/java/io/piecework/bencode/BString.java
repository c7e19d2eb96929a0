package io.piecework.bencode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A bencode byte string. Decoded strings are views into the input: nothing is copied until
 * a caller asks for a copy with {@link #bytes()} or {@link #utf8()}.
 */
public final class BString extends BValue implements Comparable<BString> {
    private final ByteBuffer data;

    BString(ByteBuffer source, int start, int end, ByteBuffer data) {
        super(source, start, end);
        this.data = data;
    }

    public static BString of(byte[] bytes) {
        return new BString(null, -1, -1, ByteBuffer.wrap(bytes.clone()).asReadOnlyBuffer());
    }

    public static BString of(String utf8) {
        return new BString(null, -1, -1, ByteBuffer.wrap(utf8.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer());
    }

    public int length() {
        return data.remaining();
    }

    /** The string's bytes as a read-only view sharing the input (no copy). */
    public ByteBuffer buffer() {
        return data.duplicate();
    }

    /** A fresh copy of the string's bytes. */
    public byte[] bytes() {
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return copy;
    }

    public String utf8() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /** Latin-1 keeps one char per byte, so the result orders and compares like the bytes. */
    public String latin1() {
        return new String(bytes(), StandardCharsets.ISO_8859_1);
    }

    /** Unsigned byte order, the order bencode requires for dictionary keys. */
    @Override
    public int compareTo(BString other) {
        return unsignedCompare(data, other.data);
    }

    static int unsignedCompare(ByteBuffer a, ByteBuffer b) {
        int n = Math.min(a.remaining(), b.remaining());
        for (int i = 0; i < n; i++) {
            int x = a.get(a.position() + i) & 0xff;
            int y = b.get(b.position() + i) & 0xff;
            if (x != y) {
                return x - y;
            }
        }
        return a.remaining() - b.remaining();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BString other && data.equals(other.data);
    }

    @Override
    public int hashCode() {
        return data.hashCode();
    }

    @Override
    public String toString() {
        return utf8();
    }
}
