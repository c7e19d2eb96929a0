package io.piecework.transport.utp.internal;

import java.nio.ByteBuffer;

/**
 * The BEP 29 (version 1) packet codec, sans-IO: a datagram's bytes in, a {@link Packet} out,
 * and back. Every datagram on the shared UDP port reaches {@link #decode} before anything
 * else looks at it, so it trusts nothing: the version, the type, every extension length and
 * the selective ACK's size (at least one byte) are checked, the extension chain is bounded, and a bad datagram
 * costs one {@link FormatException}, never an allocation proportional to what it claims.
 */
public final class UtpCodec {
    public static final int HEADER = 20;
    public static final int VERSION = 1;
    /** Extension 1 (BEP 29): a bitmask of packets received past ack_nr + 1. */
    public static final int EXTENSION_SELECTIVE_ACK = 1;
    /**
     * The largest selective ACK: its length field is one byte. BEP 29 asks for steps of 4 and we
     * send those, but libtorrent 2.0.8 sends masks of 1 and 10 bytes, so any length is read.
     */
    public static final int MAX_SELECTIVE_ACK = 255;
    /** More extensions than BEP 29 and libtorrent define, with room; a longer chain is refused. */
    static final int MAX_EXTENSIONS = 8;

    private UtpCodec() {
    }

    /** Why a datagram is not a uTP packet. */
    public static final class FormatException extends Exception {
        FormatException(String message) {
            super(message);
        }
    }

    /**
     * Reads one packet from the datagram's remaining bytes (the buffer's position is not
     * moved). The payload is a read-only view of the datagram: copy it before the buffer is
     * reused.
     */
    public static Packet decode(ByteBuffer datagram) throws FormatException {
        ByteBuffer in = datagram.duplicate();
        if (in.remaining() < HEADER) {
            throw new FormatException("datagram of " + in.remaining() + " bytes is shorter than a uTP header");
        }
        int first = in.get() & 0xFF;
        if ((first & 0x0F) != VERSION) {
            throw new FormatException("uTP version " + (first & 0x0F) + " (only 1 is spoken)");
        }
        PacketType type = PacketType.of(first >>> 4);
        if (type == null) {
            throw new FormatException("unknown uTP packet type " + (first >>> 4));
        }
        int extension = in.get() & 0xFF;
        int connectionId = in.getShort() & 0xFFFF;
        int timestamp = in.getInt();
        int difference = in.getInt();
        int window = in.getInt();
        int seq = in.getShort() & 0xFFFF;
        int ack = in.getShort() & 0xFFFF;
        byte[] selectiveAck = null;
        for (int n = 0; extension != 0; n++) {
            if (n == MAX_EXTENSIONS) {
                throw new FormatException("more than " + MAX_EXTENSIONS + " uTP extensions");
            }
            if (in.remaining() < 2) {
                throw new FormatException("uTP extension header cut short");
            }
            int next = in.get() & 0xFF;
            int length = in.get() & 0xFF;
            if (in.remaining() < length) {
                throw new FormatException("uTP extension of " + length + " bytes with " + in.remaining() + " left");
            }
            if (extension == EXTENSION_SELECTIVE_ACK) {
                if (selectiveAck != null) {
                    throw new FormatException("two selective ACKs in one packet");
                }
                if (length == 0) {
                    throw new FormatException("selective ACK of 0 bytes");
                }
                selectiveAck = new byte[length];
                in.get(selectiveAck);
            } else {
                // Unknown extensions are skipped by their length, as BEP 29 says.
                in.position(in.position() + length);
            }
            extension = next;
        }
        if (type == PacketType.DATA && !in.hasRemaining()) {
            throw new FormatException("uTP data packet without payload");
        }
        return new Packet(type, connectionId, timestamp, difference, window, seq, ack, selectiveAck, in.slice());
    }

    /** The packet's bytes, in a new buffer ready to read. */
    public static ByteBuffer encode(Packet packet) {
        ByteBuffer out = ByteBuffer.allocate(packet.size());
        encode(packet, out);
        return out.flip();
    }

    /** Writes the packet at {@code out}'s position, which moves past it. */
    public static void encode(Packet packet, ByteBuffer out) {
        byte[] sack = packet.selectiveAck();
        out.put((byte) (packet.type().code() << 4 | VERSION));
        out.put((byte) (sack == null ? 0 : EXTENSION_SELECTIVE_ACK));
        out.putShort((short) packet.connectionId());
        out.putInt(packet.timestampMicros());
        out.putInt(packet.timestampDifferenceMicros());
        out.putInt(packet.windowSize());
        out.putShort((short) packet.seqNr());
        out.putShort((short) packet.ackNr());
        if (sack != null) {
            out.put((byte) 0);
            out.put((byte) sack.length);
            out.put(sack);
        }
        out.put(packet.payload().duplicate());
    }
}
