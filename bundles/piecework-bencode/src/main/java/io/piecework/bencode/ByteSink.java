package io.piecework.bencode;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** A growable byte array; unlike ByteArrayOutputStream it is unsynchronised and reads ByteBuffers. */
final class ByteSink {
    private byte[] buf;
    private int size;

    ByteSink(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    void put(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    void putAscii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[size++] = (byte) s.charAt(i);
        }
    }

    void put(ByteBuffer bytes) {
        int n = bytes.remaining();
        ensure(n);
        bytes.duplicate().get(buf, size, n);
        size += n;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
