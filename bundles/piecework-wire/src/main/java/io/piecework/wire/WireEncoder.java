package io.piecework.wire;

import java.nio.ByteBuffer;
import org.roaringbitmap.RoaringBitmap;

/**
 * Writes messages into a caller's buffer (relative puts, big-endian), so the transport
 * chooses the memory: a pooled buffer, a slice of a larger one. Each method needs the
 * buffer to have the message's length remaining (the {@code *_LENGTH} constants or the
 * sizing methods) and allocates nothing.
 */
public final class WireEncoder {
    /** Bytes of every message with no payload (choke, unchoke, interested, ..., have all/none). */
    public static final int SIMPLE_LENGTH = 5;
    /** Bytes of have, suggest piece, allowed fast. */
    public static final int INDEX_LENGTH = 9;
    /** Bytes of request, cancel, reject request. */
    public static final int BLOCK_REF_LENGTH = 17;
    /** Bytes before the block of a piece message: length, id, index, begin. */
    public static final int PIECE_HEADER_LENGTH = 13;
    public static final int PORT_LENGTH = 7;
    public static final int KEEP_ALIVE_LENGTH = 4;

    private WireEncoder() {
    }

    public static void handshake(ByteBuffer out, Handshake h) {
        out.put((byte) 19).put(Handshake.PROTOCOL).put(h.reserved()).put(h.infoHash().bytes()).put(h.peerId().bytes());
    }

    public static void keepAlive(ByteBuffer out) {
        out.putInt(0);
    }

    public static void choke(ByteBuffer out) {
        simple(out, MessageId.CHOKE);
    }

    public static void unchoke(ByteBuffer out) {
        simple(out, MessageId.UNCHOKE);
    }

    public static void interested(ByteBuffer out) {
        simple(out, MessageId.INTERESTED);
    }

    public static void notInterested(ByteBuffer out) {
        simple(out, MessageId.NOT_INTERESTED);
    }

    public static void haveAll(ByteBuffer out) {
        simple(out, MessageId.HAVE_ALL);
    }

    public static void haveNone(ByteBuffer out) {
        simple(out, MessageId.HAVE_NONE);
    }

    public static void have(ByteBuffer out, int piece) {
        index(out, MessageId.HAVE, piece);
    }

    public static void suggestPiece(ByteBuffer out, int piece) {
        index(out, MessageId.SUGGEST_PIECE, piece);
    }

    public static void allowedFast(ByteBuffer out, int piece) {
        index(out, MessageId.ALLOWED_FAST, piece);
    }

    public static void request(ByteBuffer out, int piece, int begin, int length) {
        blockRef(out, MessageId.REQUEST, piece, begin, length);
    }

    public static void cancel(ByteBuffer out, int piece, int begin, int length) {
        blockRef(out, MessageId.CANCEL, piece, begin, length);
    }

    public static void rejectRequest(ByteBuffer out, int piece, int begin, int length) {
        blockRef(out, MessageId.REJECT_REQUEST, piece, begin, length);
    }

    public static void port(ByteBuffer out, int port) {
        out.putInt(3).put((byte) MessageId.PORT).putShort((short) port);
    }

    /** The 13 bytes before a block; the transport sends the block after them (from a file, say). */
    public static void pieceHeader(ByteBuffer out, int piece, int begin, int blockLength) {
        out.putInt(9 + blockLength).put((byte) MessageId.PIECE).putInt(piece).putInt(begin);
    }

    /** A whole piece message; {@code block}'s position is not moved. */
    public static void piece(ByteBuffer out, int piece, int begin, ByteBuffer block) {
        int n = block.remaining();
        pieceHeader(out, piece, begin, n);
        out.put(out.position(), block, block.position(), n);
        out.position(out.position() + n);
    }

    public static int bitfieldLength(int pieceCount) {
        return 5 + (pieceCount + 7) / 8;
    }

    /** A bitfield of exactly {@code pieceCount} bits; pieces at or beyond it are not sent. */
    public static void bitfield(ByteBuffer out, RoaringBitmap pieces, int pieceCount) {
        int n = (pieceCount + 7) / 8;
        out.putInt(1 + n).put((byte) MessageId.BITFIELD);
        int start = out.position();
        for (int i = 0; i < n; i++) {
            out.put(start + i, (byte) 0);
        }
        pieces.forEach((int p) -> {
            if (p >= 0 && p < pieceCount) {
                int at = start + (p >>> 3);
                out.put(at, (byte) (out.get(at) | (0x80 >>> (p & 7))));
            }
        });
        out.position(start + n);
    }

    public static int extendedLength(int payloadLength) {
        return 6 + payloadLength;
    }

    /** An extended message: {@code id} is 0 for the handshake, else the id the peer asked for. */
    public static void extended(ByteBuffer out, int id, byte[] payload) {
        out.putInt(2 + payload.length).put((byte) MessageId.EXTENDED).put((byte) id).put(payload);
    }

    private static void simple(ByteBuffer out, int id) {
        out.putInt(1).put((byte) id);
    }

    private static void index(ByteBuffer out, int id, int piece) {
        out.putInt(5).put((byte) id).putInt(piece);
    }

    private static void blockRef(ByteBuffer out, int id, int piece, int begin, int length) {
        out.putInt(13).put((byte) id).putInt(piece).putInt(begin).putInt(length);
    }
}
