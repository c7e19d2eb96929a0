package io.piecework.loadtest.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.piecework.bencode.Bencode;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The bytes every fake seeder serves, generated once and held off-heap, and the torrents made
 * from them. Every torrent shares the same payload and piece hashes; only its name (and so its
 * info-hash) differs, so 1000 torrents cost one payload's memory. The torrents are private
 * (BEP 27) and name no tracker, so the engine learns peers only from the load test, never
 * from the DHT.
 */
final class Payload {
    private final int pieceLength;
    private final long length;
    private final ByteBuf owned;
    private final ByteBuf bytes;
    private final byte[] pieceHashes;

    Payload(long length, int pieceLength, long seed) {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("payload over 2 GiB: " + length);
        }
        this.length = length;
        this.pieceLength = pieceLength;
        ByteBuf b = Unpooled.directBuffer((int) length);
        SplittableRandom random = new SplittableRandom(seed);
        while (b.writableBytes() >= 8) {
            b.writeLong(random.nextLong());
        }
        while (b.isWritable()) {
            b.writeByte(random.nextInt());
        }
        this.owned = b;
        // Shared read-only by every connection: slices need no reference counting.
        this.bytes = Unpooled.unreleasableBuffer(b.asReadOnly());
        this.pieceHashes = hashPieces(b.nioBuffer(0, (int) length), pieceLength);
    }

    int pieceCount() {
        return pieceHashes.length / 20;
    }

    int pieceLength() {
        return pieceLength;
    }

    long length() {
        return length;
    }

    /** Bytes of one piece (the last may be short). */
    int pieceSize(int piece) {
        return (int) Math.min(pieceLength, length - (long) piece * pieceLength);
    }

    /** A view of {@code length} bytes at {@code begin} in {@code piece}; nothing to release. */
    ByteBuf block(int piece, int begin, int length) {
        return bytes.slice(piece * pieceLength + begin, length);
    }

    /** The .torrent of one copy of the payload: single file {@code name}, private, no trackers. */
    byte[] torrent(String name) {
        Map<String, Object> info = new TreeMap<>();
        info.put("name", name);
        info.put("length", length);
        info.put("piece length", (long) pieceLength);
        info.put("pieces", pieceHashes);
        info.put("private", 1L);
        Map<String, Object> top = new TreeMap<>();
        top.put("info", info);
        top.put("created by", "piecework loadtest");
        return Bencode.encodeObject(top);
    }

    void release() {
        owned.release();
    }

    private static byte[] hashPieces(ByteBuffer data, int pieceLength) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-1 in this JVM", e);
        }
        int pieces = (data.remaining() + pieceLength - 1) / pieceLength;
        byte[] out = new byte[pieces * 20];
        for (int p = 0; p < pieces; p++) {
            ByteBuffer piece = data.slice(p * pieceLength, Math.min(pieceLength, data.remaining() - p * pieceLength));
            sha1.update(piece);
            System.arraycopy(sha1.digest(), 0, out, p * 20, 20);
        }
        return out;
    }
}
