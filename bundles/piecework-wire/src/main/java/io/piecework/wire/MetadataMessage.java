package io.piecework.wire;

import io.piecework.bencode.BDictionary;
import io.piecework.bencode.BInteger;
import io.piecework.bencode.BValue;
import io.piecework.bencode.Bencode;
import io.piecework.bencode.BencodeException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A BEP 9 {@code ut_metadata} message: request, data or reject of one 16 KiB piece of the
 * info dictionary.
 *
 * @param type      {@link #REQUEST}, {@link #DATA} or {@link #REJECT}
 * @param piece     metadata piece index
 * @param totalSize size of the whole info dictionary ({@code DATA} only, else -1)
 * @param data      the piece's bytes ({@code DATA} only, else null)
 */
public record MetadataMessage(int type, int piece, long totalSize, ByteBuffer data) {
    public static final int REQUEST = 0;
    public static final int DATA = 1;
    public static final int REJECT = 2;
    public static final int PIECE_LENGTH = 16 * 1024;

    public static MetadataMessage request(int piece) {
        return new MetadataMessage(REQUEST, piece, -1, null);
    }

    public static MetadataMessage reject(int piece) {
        return new MetadataMessage(REJECT, piece, -1, null);
    }

    public static MetadataMessage data(int piece, long totalSize, ByteBuffer data) {
        return new MetadataMessage(DATA, piece, totalSize, data);
    }

    /** Number of 16 KiB pieces an info dictionary of {@code size} bytes is cut into. */
    public static int pieceCount(long size) {
        return (int) ((size + PIECE_LENGTH - 1) / PIECE_LENGTH);
    }

    public byte[] encode() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("msg_type", (long) type);
        d.put("piece", (long) piece);
        if (type == DATA) {
            d.put("total_size", totalSize);
        }
        byte[] header = Bencode.encodeObject(d);
        if (type != DATA) {
            return header;
        }
        ByteBuffer bytes = data.duplicate();
        byte[] out = new byte[header.length + bytes.remaining()];
        System.arraycopy(header, 0, out, 0, header.length);
        bytes.get(out, header.length, bytes.remaining());
        return out;
    }

    /** The data of a {@code DATA} message shares {@code payload}; copy it to keep it. */
    public static MetadataMessage decode(ByteBuffer payload) throws WireException {
        BValue value;
        try {
            value = Bencode.decodeFirst(payload, ExtendedHandshake.LIMITS);
        } catch (BencodeException e) {
            throw new WireException("ut_metadata message is not bencode: " + e.getMessage(), e);
        }
        if (!(value instanceof BDictionary d)) {
            throw new WireException("ut_metadata message is not a dictionary");
        }
        long type = d.integer("msg_type").map(BInteger::value).orElse(-1L);
        long piece = d.integer("piece").map(BInteger::value).orElse(-1L);
        if (piece < 0 || piece > Integer.MAX_VALUE) {
            throw new WireException("ut_metadata message has no valid piece: " + d.get("piece"));
        }
        if (type == REQUEST || type == REJECT) {
            if (value.end() != payload.limit()) {
                throw new WireException("ut_metadata " + (type == REQUEST ? "request" : "reject") + " has trailing bytes");
            }
            return new MetadataMessage((int) type, (int) piece, -1, null);
        }
        if (type != DATA) {
            throw new WireException("ut_metadata msg_type " + type + " is unknown");
        }
        long total = d.integer("total_size").map(BInteger::value).orElse(-1L);
        if (total < 0) {
            throw new WireException("ut_metadata data has no total_size");
        }
        ByteBuffer data = payload.duplicate().position(value.end()).slice();
        if (data.remaining() > PIECE_LENGTH) {
            throw new WireException("ut_metadata piece of " + data.remaining() + " bytes exceeds 16384");
        }
        return new MetadataMessage(DATA, (int) piece, total, data);
    }
}
