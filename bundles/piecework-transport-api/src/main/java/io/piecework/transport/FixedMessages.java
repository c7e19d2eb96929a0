package io.piecework.transport;

import io.piecework.wire.ExtendedHandshake;
import io.piecework.wire.Extensions;
import io.piecework.wire.HashMessages;
import io.piecework.wire.HashRequest;
import io.piecework.wire.HashesMessage;
import io.piecework.wire.MetadataMessage;
import io.piecework.wire.PexMessage;
import io.piecework.wire.WireEncoder;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The fixed-size and extension messages of a connection, each encoded into a buffer of its known
 * length and handed to {@link #send}: what a transport sends without state of its own (bitfields, requests
 * and blocks stay with the transport, since they need the piece count or the hot path's care).
 * Both transports (TCP's Netty handler, uTP's stream) implement it, so the encoding is written once.
 */
public interface FixedMessages extends PeerConnection {
    /** Writes one message of {@code length} bytes that {@code encode} fills. */
    void send(int length, Consumer<ByteBuffer> encode);

    @Override
    default void choke() {
        send(WireEncoder.SIMPLE_LENGTH, WireEncoder::choke);
    }

    @Override
    default void unchoke() {
        send(WireEncoder.SIMPLE_LENGTH, WireEncoder::unchoke);
    }

    @Override
    default void interested() {
        send(WireEncoder.SIMPLE_LENGTH, WireEncoder::interested);
    }

    @Override
    default void notInterested() {
        send(WireEncoder.SIMPLE_LENGTH, WireEncoder::notInterested);
    }

    @Override
    default void have(int piece) {
        send(WireEncoder.INDEX_LENGTH, b -> WireEncoder.have(b, piece));
    }

    @Override
    default void haveAll() {
        send(WireEncoder.SIMPLE_LENGTH, WireEncoder::haveAll);
    }

    @Override
    default void haveNone() {
        send(WireEncoder.SIMPLE_LENGTH, WireEncoder::haveNone);
    }

    @Override
    default void cancel(int piece, int begin, int length) {
        send(WireEncoder.BLOCK_REF_LENGTH, b -> WireEncoder.cancel(b, piece, begin, length));
    }

    @Override
    default void rejectRequest(int piece, int begin, int length) {
        send(WireEncoder.BLOCK_REF_LENGTH, b -> WireEncoder.rejectRequest(b, piece, begin, length));
    }

    @Override
    default void allowedFast(int piece) {
        send(WireEncoder.INDEX_LENGTH, b -> WireEncoder.allowedFast(b, piece));
    }

    @Override
    default void suggestPiece(int piece) {
        send(WireEncoder.INDEX_LENGTH, b -> WireEncoder.suggestPiece(b, piece));
    }

    @Override
    default void port(int port) {
        send(WireEncoder.PORT_LENGTH, b -> WireEncoder.port(b, port));
    }

    @Override
    default void extendedHandshake(ExtendedHandshake handshake) {
        byte[] payload = handshake.encode();
        send(WireEncoder.extendedLength(payload.length), b -> WireEncoder.extended(b, 0, payload));
    }

    @Override
    default boolean metadata(MetadataMessage message) {
        return extended(Extensions.UT_METADATA, message.encode());
    }

    @Override
    default boolean pex(PexMessage message) {
        return extended(Extensions.UT_PEX, message.encode());
    }

    @Override
    default boolean hashRequest(HashRequest request) {
        send(HashMessages.REQUEST_LENGTH, b -> HashMessages.hashRequest(b, request));
        return true;
    }

    @Override
    default boolean hashes(HashesMessage message) {
        send(HashMessages.hashesLength(message), b -> HashMessages.hashes(b, message));
        return true;
    }

    @Override
    default boolean hashReject(HashRequest request) {
        send(HashMessages.REQUEST_LENGTH, b -> HashMessages.hashReject(b, request));
        return true;
    }

    /** An extension message under the id the peer gave the extension; false if it gave none. */
    private boolean extended(String name, byte[] payload) {
        ExtendedHandshake theirs = remoteExtendedHandshake();
        int id = theirs == null ? 0 : theirs.idOf(name);
        if (id == 0) {
            return false;
        }
        send(WireEncoder.extendedLength(payload.length), b -> WireEncoder.extended(b, id, payload));
        return true;
    }
}
