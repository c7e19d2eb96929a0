package io.piecework.transport.utp.internal;

import io.piecework.wire.WireEncoder;
import io.piecework.transport.PeerConnection;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The fixed-size messages of a connection, each one encoding into a buffer of its known length:
 * what {@link UtpPeerConnection} sends without state of its own (bitfields, requests and blocks stay
 * there, since they need the piece count or the hot path's care).
 */
abstract class MessageSends implements PeerConnection {
    /** Writes one message of {@code length} bytes that {@code encode} fills. */
    abstract void send(int length, Consumer<ByteBuffer> encode);

    @Override
    public void choke() {
        send(WireEncoder.SIMPLE_LENGTH, WireEncoder::choke);
    }

    @Override
    public void unchoke() {
        send(WireEncoder.SIMPLE_LENGTH, WireEncoder::unchoke);
    }

    @Override
    public void interested() {
        send(WireEncoder.SIMPLE_LENGTH, WireEncoder::interested);
    }

    @Override
    public void notInterested() {
        send(WireEncoder.SIMPLE_LENGTH, WireEncoder::notInterested);
    }

    @Override
    public void have(int piece) {
        send(WireEncoder.INDEX_LENGTH, b -> WireEncoder.have(b, piece));
    }

    @Override
    public void haveAll() {
        send(WireEncoder.SIMPLE_LENGTH, WireEncoder::haveAll);
    }

    @Override
    public void haveNone() {
        send(WireEncoder.SIMPLE_LENGTH, WireEncoder::haveNone);
    }

    @Override
    public void cancel(int piece, int begin, int length) {
        send(WireEncoder.BLOCK_REF_LENGTH, b -> WireEncoder.cancel(b, piece, begin, length));
    }

    @Override
    public void rejectRequest(int piece, int begin, int length) {
        send(WireEncoder.BLOCK_REF_LENGTH, b -> WireEncoder.rejectRequest(b, piece, begin, length));
    }

    @Override
    public void allowedFast(int piece) {
        send(WireEncoder.INDEX_LENGTH, b -> WireEncoder.allowedFast(b, piece));
    }

    @Override
    public void suggestPiece(int piece) {
        send(WireEncoder.INDEX_LENGTH, b -> WireEncoder.suggestPiece(b, piece));
    }

    @Override
    public void port(int port) {
        send(WireEncoder.PORT_LENGTH, b -> WireEncoder.port(b, port));
    }
}
