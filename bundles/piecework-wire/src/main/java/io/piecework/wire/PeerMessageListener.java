package io.piecework.wire;

import java.nio.ByteBuffer;
import org.roaringbitmap.RoaringBitmap;

/**
 * Receives what {@link PeerDecoder} decodes. Calls come on the decoding thread, in wire
 * order. Buffers handed over are valid only during the call: keep a copy, not the buffer.
 * Every method has an empty default so a listener implements what it cares about.
 */
public interface PeerMessageListener {
    default void onHandshake(Handshake handshake) throws WireException {
    }

    default void onKeepAlive() {
    }

    default void onChoke() {
    }

    default void onUnchoke() {
    }

    default void onInterested() {
    }

    default void onNotInterested() {
    }

    default void onHave(int piece) {
    }

    /** The bitmap comes from the decoder's supplier (a pool, say); the listener now owns it. */
    default void onBitfield(RoaringBitmap pieces) {
    }

    default void onRequest(int piece, int begin, int length) {
    }

    /**
     * Where the block of a {@code piece} message should be written, so that its bytes travel
     * from the socket buffer to their destination with one copy. The returned buffer must have
     * {@code length} bytes remaining; the decoder writes from its position. Return
     * {@code null} to have the decoder use a scratch buffer of its own.
     */
    default ByteBuffer pieceDestination(int piece, int begin, int length) {
        return null;
    }

    /**
     * A whole block arrived. {@code block} is the buffer from {@link #pieceDestination} (or
     * the decoder's scratch) with position and limit around the block's bytes.
     */
    default void onPiece(int piece, int begin, ByteBuffer block) {
    }

    default void onCancel(int piece, int begin, int length) {
    }

    /** BEP 5: the peer's DHT port. */
    default void onPort(int port) {
    }

    default void onSuggestPiece(int piece) {
    }

    default void onHaveAll() {
    }

    default void onHaveNone() {
    }

    default void onRejectRequest(int piece, int begin, int length) {
    }

    default void onAllowedFast(int piece) {
    }

    default void onExtendedHandshake(ExtendedHandshake handshake) {
    }

    default void onMetadata(MetadataMessage message) {
    }

    default void onPex(PexMessage message) {
    }

    /** BEP 52: the peer asks for hashes of a file's Merkle tree; answer with hashes or a hash reject. */
    default void onHashRequest(HashRequest request) {
    }

    /** BEP 52: hashes answering a request of ours, with their uncle hashes (not yet checked against any root). */
    default void onHashes(HashesMessage hashes) {
    }

    /** BEP 52: the peer will not answer this request of ours. */
    default void onHashReject(HashRequest request) {
    }

    /** An extended message whose id we did not announce for a known extension. */
    default void onExtended(int id, ByteBuffer payload) {
    }

    /** A message id this codec does not know; its payload was skipped. */
    default void onUnknown(int id, int length) {
    }
}
