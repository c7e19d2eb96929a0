package io.piecework.transport;

import io.piecework.wire.ExtendedHandshake;
import io.piecework.wire.Handshake;
import io.piecework.wire.HashRequest;
import io.piecework.wire.HashesMessage;
import io.piecework.wire.MetadataMessage;
import io.piecework.wire.PexMessage;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.osgi.annotation.versioning.ProviderType;
import org.roaringbitmap.RoaringBitmap;

/**
 * One peer connection after the handshake. Send methods may be called from any thread;
 * called from the connection's own handler they are flushed together once the current read
 * is handled.
 */
@ProviderType
public interface PeerConnection {
    InetSocketAddress remoteAddress();

    Handshake remoteHandshake();

    /**
     * Both sides announced the fast extension (BEP 6). Our handshake always does, so the peer's
     * says it; false before it arrives.
     */
    default boolean fastExtension() {
        Handshake h = remoteHandshake();
        return h != null && h.supportsFast();
    }

    /** Both sides announced the extension protocol (BEP 10): as {@link #fastExtension()}, from the peer's handshake. */
    default boolean extensionProtocol() {
        Handshake h = remoteHandshake();
        return h != null && h.supportsExtensions();
    }

    /** The peer's extended handshake, or null until it arrives. */
    ExtendedHandshake remoteExtendedHandshake();

    /** Sets the piece count once known (after fetching metadata); bitfields are checked against it. */
    void pieceCount(int pieces);

    /** False while the send queue is above its high mark: stop producing blocks until it clears. */
    boolean isWritable();

    /** Stops reading from the peer (say, while the disk is behind) until {@link #resumeReading()}. */
    void pauseReading();

    void resumeReading();

    void choke();

    void unchoke();

    void interested();

    void notInterested();

    void have(int piece);

    void bitfield(RoaringBitmap pieces);

    void haveAll();

    void haveNone();

    void request(int piece, int begin, int length);

    void cancel(int piece, int begin, int length);

    void rejectRequest(int piece, int begin, int length);

    void allowedFast(int piece);

    void suggestPiece(int piece);

    void port(int port);

    /** Sends a block from memory; the bytes are copied once before this returns. */
    void piece(int piece, int begin, ByteBuffer block);

    /**
     * Sends a block straight from a file (sendfile where the platform has it, no copy through
     * the heap). The channel is not closed by the transport.
     */
    void piece(int piece, int begin, FileChannel file, long position, int length);

    /**
     * As above, and runs {@code done} once the block has left or its send was dropped (the
     * connection closed first): the caller may then let the file go. It runs exactly once, on
     * whichever thread Netty releases the block.
     */
    void piece(int piece, int begin, FileChannel file, long position, int length, Runnable done);

    void extendedHandshake(ExtendedHandshake handshake);

    /** Sends under the peer's id for ut_metadata; false (nothing sent) if the peer has none. */
    boolean metadata(MetadataMessage message);

    /** Sends under the peer's id for ut_pex; false (nothing sent) if the peer has none. */
    boolean pex(PexMessage message);

    /** BEP 52: asks for Merkle hashes; false (nothing sent) where the connection cannot carry it (a web seed). */
    default boolean hashRequest(HashRequest request) {
        return false;
    }

    /** BEP 52: answers a hash request; false (nothing sent) where the connection cannot carry it. */
    default boolean hashes(HashesMessage message) {
        return false;
    }

    /** BEP 52: refuses a hash request; false (nothing sent) where the connection cannot carry it. */
    default boolean hashReject(HashRequest request) {
        return false;
    }

    /**
     * Runs {@code sends} (calls of this connection's send methods) on the connection's own thread
     * and writes them to the socket together: from another thread a batch costs one task and one
     * wake-up of that thread instead of one per message. Batches run in the order they were
     * given; the default runs them at once.
     */
    default void batch(Runnable sends) {
        sends.run();
    }

    /** The stream is RC4-obfuscated (MSE/PE); false for a transport without encryption. */
    default boolean encrypted() {
        return false;
    }

    /** The connection runs over uTP (BEP 29); false for TCP and anything else (1.4). */
    default boolean utp() {
        return false;
    }

    /** Closes the connection; the handler's {@code onClosed} gets {@code reason}. */
    void close(String reason);
}
