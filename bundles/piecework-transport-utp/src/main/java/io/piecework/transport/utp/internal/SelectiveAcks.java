package io.piecework.transport.utp.internal;

/**
 * Builds the selective ACK a receiver sends when packets past {@code ack_nr + 1} arrived
 * before it: bit i (least significant first within each byte) stands for {@code ack_nr + 2 + i}.
 */
public final class SelectiveAcks {
    private SelectiveAcks() {
    }

    /**
     * The mask for the packets {@code received} says arrived, looking {@code span} packets past
     * {@code ackNr + 1} (rounded up to whole 32-bit words, capped at the codec's maximum), or
     * null when none of them has arrived (BEP 29 sends a selective ACK only then).
     */
    public static byte[] of(int ackNr, int span, java.util.function.IntPredicate received) {
        int bytes = Math.min(UtpCodec.MAX_SELECTIVE_ACK / 4 * 4, Math.max(4, (span + 31) / 32 * 4));
        byte[] mask = new byte[bytes];
        boolean any = false;
        for (int i = 0; i < Math.min(span, bytes * 8); i++) {
            if (received.test(Seq.plus(ackNr, 2 + i))) {
                mask[i >>> 3] |= (byte) (1 << (i & 7));
                any = true;
            }
        }
        return any ? mask : null;
    }
}
