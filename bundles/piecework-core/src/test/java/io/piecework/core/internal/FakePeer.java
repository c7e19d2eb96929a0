package io.piecework.core.internal;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.ExtendedHandshake;
import io.piecework.wire.Extensions;
import io.piecework.wire.Handshake;
import io.piecework.wire.PeerDecoder;
import io.piecework.wire.PeerId;
import io.piecework.wire.PeerMessageListener;
import io.piecework.wire.PexMessage;
import io.piecework.wire.WireEncoder;
import io.piecework.wire.WireException;
import io.piecework.wire.WireLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.roaringbitmap.RoaringBitmap;

/**
 * A hand-driven peer for tests: a blocking socket to an engine on loopback, messages encoded
 * by the real wire codec, what the engine sends decoded by the real decoder on a reader thread.
 * It behaves as the test tells it to (idle, flooding, rejecting), which a real client would not.
 */
final class FakePeer implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final Thread reader;
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger received = new AtomicInteger();
    volatile boolean closed;
    /** Called on the reader thread for every request the engine sends. */
    volatile Consumer<int[]> onRequest = r -> { };

    private final int pieceCount;

    private FakePeer(Socket socket, int pieceCount) throws IOException {
        this.socket = socket;
        this.pieceCount = pieceCount;
        this.out = socket.getOutputStream();
        this.reader = new Thread(this::read, "fake-peer-reader");
        reader.setDaemon(true);
    }

    /** Dials the engine listening on {@code port} and sends our handshake (extensions and fast extension on). */
    static FakePeer dial(int port, InfoHash infoHash, int pieceCount) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setTcpNoDelay(true);
        FakePeer p = new FakePeer(s, pieceCount);
        ByteBuffer b = ByteBuffer.allocate(Handshake.LENGTH);
        WireEncoder.handshake(b, new Handshake(Handshake.ourReserved(false), infoHash,
                PeerId.generate("-FK0001-", new Random())));
        p.send(b);
        p.reader.start();
        return p;
    }

    private void read() {
        PeerDecoder decoder = new PeerDecoder(new PeerMessageListener() {
            @Override
            public void onRequest(int piece, int begin, int length) {
                requests.incrementAndGet();
                onRequest.accept(new int[] {piece, begin, length});
            }

            @Override
            public void onKeepAlive() {
                received.incrementAndGet();
            }
        }, WireLimits.DEFAULT, RoaringBitmap::new, true);
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = socket.getInputStream()) {
            decoder.pieceCount(pieceCount);
            decoder.fastExtension(true);
            int n;
            while ((n = in.read(buf)) > 0) {
                received.incrementAndGet();
                decoder.feed(ByteBuffer.wrap(buf, 0, n));
            }
        } catch (IOException | WireException e) {
            // The engine closed the connection, or sent what this fake does not follow: either ends it.
        } finally {
            closed = true;
        }
    }

    synchronized void send(ByteBuffer b) throws IOException {
        out.write(b.array(), 0, b.position());
        out.flush();
    }

    private void message(int length, Consumer<ByteBuffer> encoder) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        encoder.accept(b);
        send(b);
    }

    void keepAlive() throws IOException {
        message(4, WireEncoder::keepAlive);
    }

    void haveAll() throws IOException {
        message(5, WireEncoder::haveAll);
    }

    void unchoke() throws IOException {
        message(5, WireEncoder::unchoke);
    }

    void interested() throws IOException {
        message(5, WireEncoder::interested);
    }

    void reject(int piece, int begin, int length) throws IOException {
        message(17, b -> WireEncoder.rejectRequest(b, piece, begin, length));
    }

    /** Our BEP 10 handshake, announcing ut_pex under id 1. */
    void extendedHandshake() throws IOException {
        extendedHandshake("fake");
    }

    /** Our BEP 10 handshake with {@code client} as its {@code v}. */
    void extendedHandshake(String client) throws IOException {
        byte[] payload = new ExtendedHandshake(Map.of(Extensions.UT_PEX, 1), client, 0, 0, -1, null, null, null).encode();
        message(WireEncoder.extendedLength(payload.length), b -> WireEncoder.extended(b, 0, payload));
    }

    /** A ut_pex message, sent under the id engines announce for it. */
    void pex(PexMessage m) throws IOException {
        byte[] payload = m.encode();
        int id = Extensions.LOCAL_IDS.get(Extensions.UT_PEX);
        message(WireEncoder.extendedLength(payload.length), b -> WireEncoder.extended(b, id, payload));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
