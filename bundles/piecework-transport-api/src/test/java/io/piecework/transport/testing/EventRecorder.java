package io.piecework.transport.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.piecework.wire.ExtendedHandshake;
import io.piecework.wire.MetadataMessage;
import io.piecework.transport.PeerConnection;
import io.piecework.transport.PeerHandler;
import io.piecework.transport.TorrentPeers;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.roaringbitmap.RoaringBitmap;

/**
 * A torrent whose peers record what they receive; tests wait on it with a bound. Shared by the
 * TCP and uTP transports' tests through this module's test-jar.
 */
public class EventRecorder implements TorrentPeers {
    public final int pieces;
    public final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    public final BlockingQueue<PeerConnection> connections = new LinkedBlockingQueue<>();
    public final CompletableFuture<String> closed = new CompletableFuture<>();
    public volatile BiConsumer<PeerConnection, String> reply = (c, e) -> { };
    /** Where blocks should land, as storage would offer; null lets the decoder use its scratch. */
    public volatile ByteBuffer destination;

    public EventRecorder(int pieces) {
        this.pieces = pieces;
    }

    @Override
    public int pieceCount() {
        return pieces;
    }

    @Override
    public PeerHandler connected(PeerConnection c) {
        connections.add(c);
        return new PeerHandler() {
            private void add(String e) {
                events.add(e);
                reply.accept(c, e);
            }

            @Override
            public void onClosed(String reason) {
                closed.complete(reason);
            }

            @Override
            public void onInterested() {
                add("interested");
            }

            @Override
            public void onUnchoke() {
                add("unchoke");
            }

            @Override
            public void onHave(int piece) {
                add("have " + piece);
            }

            @Override
            public void onHaveAll() {
                add("have all");
            }

            @Override
            public void onBitfield(RoaringBitmap bits) {
                add("bitfield " + bits);
            }

            @Override
            public void onRequest(int piece, int begin, int length) {
                add("request " + piece + " " + begin + " " + length);
            }

            @Override
            public ByteBuffer pieceDestination(int piece, int begin, int length) {
                return destination;
            }

            @Override
            public void onPiece(int piece, int begin, ByteBuffer block) {
                byte[] b = new byte[block.remaining()];
                block.duplicate().get(b);
                add("piece " + piece + " " + begin + (block == destination ? " in destination " : " ")
                        + HexFormat.of().formatHex(b));
            }

            @Override
            public void onExtendedHandshake(ExtendedHandshake h) {
                add("extended handshake " + h.m() + " " + h.v());
            }

            @Override
            public void onMetadata(MetadataMessage m) {
                add("metadata " + m.type() + " " + m.piece());
            }

            @Override
            public void onWritabilityChanged(boolean writable) {
                add("writable " + writable);
            }
        };
    }

    /** What a seeding test does with a peer's request. */
    @FunctionalInterface
    public interface Requests {
        void requested(PeerConnection c, int piece, int begin, int length);
    }

    /** Answers as a seeder would: unchokes an interested peer and hands each request to {@code requests}. */
    public void serve(Requests requests) {
        reply = (c, e) -> {
            if (e.equals("interested")) {
                c.unchoke();
            } else if (e.startsWith("request")) {
                String[] p = e.split(" ");
                requests.requested(c, Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]));
            }
        };
    }

    /**
     * {@link #serve} with each requested block sent straight from {@code file} ({@code pieceLength}
     * bytes a piece), running {@code sent} as each may go.
     */
    public void serveFrom(FileChannel file, int pieceLength, Runnable sent) {
        serve((c, piece, begin, length) -> c.piece(piece, begin, file, (long) piece * pieceLength + begin, length, sent));
    }

    public String next() throws InterruptedException {
        String e = events.poll(10, TimeUnit.SECONDS);
        assertNotNull(e, "no event within 10 s");
        return e;
    }

    public PeerConnection connection() throws InterruptedException {
        PeerConnection c = connections.poll(10, TimeUnit.SECONDS);
        assertNotNull(c, "no connection within 10 s");
        return c;
    }

    public String closeReason() throws Exception {
        return closed.get(10, TimeUnit.SECONDS);
    }
}
