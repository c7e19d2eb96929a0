package io.piecework.wire;

import java.nio.ByteBuffer;

/**
 * The BEP 52 messages {@code hash request} (21), {@code hashes} (22) and {@code hash reject}
 * (23): their decoding for {@link PeerDecoder} and their encoding into a caller's buffer, as
 * {@link WireEncoder} does for the others. A request and a reject carry 48 bytes (pieces root,
 * base layer, index, length, proof layers); {@code hashes} adds 32 bytes per hash.
 *
 * <p>Every field is bounded before it sizes anything: a peer's {@code length} and
 * {@code proof layers} only decide how many hashes a {@code hashes} message must carry, and
 * that count is checked against the bytes that actually arrived (themselves capped by
 * {@link WireLimits#maxMessageLength()}), so a hostile header allocates nothing.
 */
public final class HashMessages {
    public static final int HASH_REQUEST = 21;
    public static final int HASHES = 22;
    public static final int HASH_REJECT = 23;
    /** Bytes of a SHA-256 hash. */
    public static final int HASH = 32;
    /** Payload of a request or reject, and the header of {@code hashes}. */
    public static final int REQUEST_PAYLOAD = HASH + 16;
    /** Bytes of a whole hash request or hash reject message, length prefix included. */
    public static final int REQUEST_LENGTH = 5 + REQUEST_PAYLOAD;
    /**
     * Layers a tree can have: a file under 2^63 bytes has under 2^49 blocks. Base and proof
     * layers beyond this name nothing in any tree; refusing them keeps every count an int.
     */
    public static final int MAX_LAYERS = 50;
    /** Largest {@code length} we decode: 2^30 hashes; a real answer is bounded by the message cap anyway. */
    public static final int MAX_LENGTH = 1 << 30;

    private HashMessages() {
    }

    static boolean isHashMessage(int id) {
        return id >= HASH_REQUEST && id <= HASH_REJECT;
    }

    static String name(int id) {
        return switch (id) {
            case HASH_REQUEST -> "hash request";
            case HASHES -> "hashes";
            default -> "hash reject";
        };
    }

    /** Checks a hash message's payload length as soon as the id is known, before its bytes are buffered. */
    static void checkPayload(int id, int payload, WireLimits limits) throws WireException {
        if (payload + 1L > limits.maxMessageLength()) {
            throw new WireException(name(id) + " message of length " + (payload + 1L) + " exceeds the limit of "
                    + limits.maxMessageLength());
        }
        if (id == HASHES ? payload < REQUEST_PAYLOAD || (payload - REQUEST_PAYLOAD) % HASH != 0
                : payload != REQUEST_PAYLOAD) {
            throw new WireException(name(id) + " message has a payload of " + payload + " bytes, expected "
                    + (id == HASHES ? REQUEST_PAYLOAD + " plus 32 per hash" : REQUEST_PAYLOAD));
        }
    }

    /** Decodes the message's payload at {@code b[off..off+n)} and hands it to the listener. */
    static void dispatch(PeerMessageListener listener, int id, ByteBuffer b, int off, int n) throws WireException {
        HashRequest request = decodeRequest(id, b, off);
        switch (id) {
            case HASH_REQUEST -> listener.onHashRequest(request);
            case HASH_REJECT -> listener.onHashReject(request);
            default -> listener.onHashes(decodeHashes(request, b, off + REQUEST_PAYLOAD, n - REQUEST_PAYLOAD));
        }
    }

    static HashRequest decodeRequest(int id, ByteBuffer b, int off) throws WireException {
        byte[] root = new byte[HASH];
        b.get(off, root);
        int base = b.getInt(off + HASH);
        int index = b.getInt(off + HASH + 4);
        int length = b.getInt(off + HASH + 8);
        int proof = b.getInt(off + HASH + 12);
        String what = name(id);
        if (base < 0 || base >= MAX_LAYERS) {
            throw new WireException(what + " base layer " + (base & 0xffffffffL) + " is not in 0.." + (MAX_LAYERS - 1));
        }
        if (proof < 0 || proof >= MAX_LAYERS) {
            throw new WireException(what + " proof layers " + (proof & 0xffffffffL) + " is not in 0.."
                    + (MAX_LAYERS - 1));
        }
        if (length < 2 || length > MAX_LENGTH || Integer.bitCount(length) != 1) {
            throw new WireException(what + " length " + (length & 0xffffffffL)
                    + " is not a power of two from 2 to " + MAX_LENGTH);
        }
        if (index < 0 || index % length != 0) {
            throw new WireException(what + " index " + (index & 0xffffffffL) + " is not a multiple of its length "
                    + length);
        }
        return new HashRequest(root, base, index, length, proof);
    }

    private static HashesMessage decodeHashes(HashRequest request, ByteBuffer b, int off, int n)
            throws WireException {
        long expected = (long) request.length() + request.uncleCount();
        if (n / HASH != expected) {
            throw new WireException("hashes message carries " + n / HASH + " hashes, but length "
                    + request.length() + " and proof layers " + request.proofLayers() + " need " + expected);
        }
        byte[] hashes = new byte[n];
        b.get(off, hashes);
        return new HashesMessage(request, hashes);
    }

    public static void hashRequest(ByteBuffer out, HashRequest request) {
        header(out, HASH_REQUEST, REQUEST_PAYLOAD, request);
    }

    public static void hashReject(ByteBuffer out, HashRequest request) {
        header(out, HASH_REJECT, REQUEST_PAYLOAD, request);
    }

    /** Bytes of a whole {@code hashes} message, length prefix included. */
    public static int hashesLength(HashesMessage message) {
        return 5 + REQUEST_PAYLOAD + message.hashes().length;
    }

    public static void hashes(ByteBuffer out, HashesMessage message) {
        byte[] hashes = message.hashes();
        header(out, HASHES, REQUEST_PAYLOAD + hashes.length, message.request());
        out.put(hashes);
    }

    private static void header(ByteBuffer out, int id, int payload, HashRequest r) {
        out.putInt(1 + payload).put((byte) id).put(r.piecesRoot()).putInt(r.baseLayer()).putInt(r.index())
                .putInt(r.length()).putInt(r.proofLayers());
    }
}
