package io.piecework.transport.utp.internal;

/**
 * Arithmetic on 16-bit uTP sequence numbers, which wrap: 0 comes after 65535. Two numbers are
 * compared by their distance, so any window below half the space (32768 packets) orders
 * correctly across the wrap.
 */
public final class Seq {
    private static final int MASK = 0xFFFF;

    private Seq() {
    }

    public static int plus(int seq, int n) {
        return (seq + n) & MASK;
    }

    /** {@code a - b} as a signed distance in -32768..32767. */
    public static int minus(int a, int b) {
        return (short) (a - b);
    }

    /** Whether {@code a} comes after {@code b}. */
    public static boolean after(int a, int b) {
        return minus(a, b) > 0;
    }
}
