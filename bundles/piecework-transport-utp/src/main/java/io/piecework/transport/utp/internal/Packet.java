package io.piecework.transport.utp.internal;

import java.nio.ByteBuffer;

/**
 * One uTP packet as it travels: the 20-byte header, an optional selective ACK and the payload.
 * Sequence and ACK numbers are 16-bit, times are the low 32 bits of microsecond clocks, both
 * kept in ints as the wire has them (see {@link Seq} for comparing wrapped numbers).
 *
 * @param selectiveAck the bitmask as sent (first byte: ack+2 .. ack+9, least significant bit
 *                     first), 1 to 255 bytes (we send multiples of 4), or null when it has none
 * @param payload      the data, read-only; empty for every type but DATA
 */
public record Packet(PacketType type, int connectionId, int timestampMicros, int timestampDifferenceMicros,
                     int windowSize, int seqNr, int ackNr, byte[] selectiveAck, ByteBuffer payload) {

    public Packet {
        if (connectionId < 0 || connectionId > 0xFFFF || seqNr < 0 || seqNr > 0xFFFF || ackNr < 0 || ackNr > 0xFFFF) {
            throw new IllegalArgumentException("connection id, seq_nr and ack_nr are 16-bit");
        }
        if (selectiveAck != null && (selectiveAck.length < 1 || selectiveAck.length > UtpCodec.MAX_SELECTIVE_ACK)) {
            throw new IllegalArgumentException("a selective ACK is 1.." + UtpCodec.MAX_SELECTIVE_ACK
                    + " bytes, not " + selectiveAck.length);
        }
        payload = payload == null ? ByteBuffer.allocate(0).asReadOnlyBuffer() : payload.asReadOnlyBuffer();
    }

    /** A packet without selective ACK or payload (SYN, STATE, FIN, RESET). */
    public static Packet control(PacketType type, int connectionId, int timestampMicros, int timestampDifferenceMicros,
                                 int windowSize, int seqNr, int ackNr) {
        return new Packet(type, connectionId, timestampMicros, timestampDifferenceMicros, windowSize, seqNr, ackNr,
                null, null);
    }

    /** Whether the selective ACK marks {@code seq} as received (false outside the mask or without one). */
    public boolean selectivelyAcked(int seq) {
        if (selectiveAck == null) {
            return false;
        }
        int offset = Seq.minus(seq, Seq.plus(ackNr, 2));
        if (offset < 0 || offset >= selectiveAck.length * 8) {
            return false;
        }
        return (selectiveAck[offset >>> 3] & 1 << (offset & 7)) != 0;
    }

    public int size() {
        return UtpCodec.HEADER + (selectiveAck == null ? 0 : 2 + selectiveAck.length) + payload.remaining();
    }
}
