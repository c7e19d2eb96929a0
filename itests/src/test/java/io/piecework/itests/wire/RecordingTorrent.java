package io.piecework.itests.wire;

import io.piecework.wire.ExtendedHandshake;
import io.piecework.wire.MetadataMessage;
import io.piecework.transport.PeerConnection;
import io.piecework.transport.PeerHandler;
import io.piecework.transport.TorrentPeers;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.roaringbitmap.RoaringBitmap;

/** A torrent whose peer connections queue every message as a value for the test to take. */
final class RecordingTorrent implements TorrentPeers {
    record Msg(String kind, Object value) {
    }

    record Block(int piece, int begin, byte[] bytes) {
    }

    private final int pieces;
    final BlockingQueue<Msg> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<PeerConnection> connection = new CompletableFuture<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    /** Lets a test answer on the event loop, as an engine would. */
    volatile BiConsumer<PeerConnection, Msg> onMessage = (c, m) -> { };

    RecordingTorrent(int pieces) {
        this.pieces = pieces;
    }

    @Override
    public int pieceCount() {
        return pieces;
    }

    @Override
    public PeerHandler connected(PeerConnection c) {
        connection.complete(c);
        return new PeerHandler() {
            private void add(String kind, Object value) {
                Msg m = new Msg(kind, value);
                messages.add(m);
                onMessage.accept(c, m);
            }

            @Override
            public void onClosed(String reason) {
                closed.complete(reason);
            }

            @Override
            public void onChoke() {
                add("choke", null);
            }

            @Override
            public void onUnchoke() {
                add("unchoke", null);
            }

            @Override
            public void onInterested() {
                add("interested", null);
            }

            @Override
            public void onNotInterested() {
                add("not interested", null);
            }

            @Override
            public void onHave(int piece) {
                add("have", piece);
            }

            @Override
            public void onBitfield(RoaringBitmap bits) {
                add("bitfield", bits);
            }

            @Override
            public void onHaveAll() {
                add("have all", null);
            }

            @Override
            public void onHaveNone() {
                add("have none", null);
            }

            @Override
            public void onAllowedFast(int piece) {
                add("allowed fast", piece);
            }

            @Override
            public void onRequest(int piece, int begin, int length) {
                add("request", new int[] {piece, begin, length});
            }

            @Override
            public void onRejectRequest(int piece, int begin, int length) {
                add("reject", new int[] {piece, begin, length});
            }

            @Override
            public void onPiece(int piece, int begin, ByteBuffer block) {
                byte[] b = new byte[block.remaining()];
                block.get(b);
                add("piece", new Block(piece, begin, b));
            }

            @Override
            public void onExtendedHandshake(ExtendedHandshake h) {
                add("extended handshake", h);
            }

            @Override
            public void onMetadata(MetadataMessage m) {
                byte[] data = null;
                if (m.data() != null) {
                    data = new byte[m.data().remaining()];
                    m.data().duplicate().get(data);
                }
                add("metadata", new MetadataMessage(m.type(), m.piece(), m.totalSize(), data == null ? null : ByteBuffer.wrap(data)));
            }
        };
    }

    /** The next message of {@code kind}, skipping others; fails after {@code seconds}. */
    Object await(String kind, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            Msg m = left <= 0 ? null : messages.poll(left, TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError("no '" + kind + "' within " + seconds + " s"
                        + (closed.isDone() ? "; connection closed: " + closed.getNow(null) : ""));
            }
            if (m.kind().equals(kind)) {
                return m.value();
            }
        }
    }

    /** The next of several kinds; returns the message. */
    Msg awaitAny(int seconds, String... kinds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            Msg m = left <= 0 ? null : messages.poll(left, TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError("none of " + String.join(", ", kinds) + " within " + seconds + " s");
            }
            for (String k : kinds) {
                if (m.kind().equals(k)) {
                    return m;
                }
            }
        }
    }
}
