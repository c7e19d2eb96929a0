package io.piecework.transport.testing;

import io.piecework.transport.PeerConnection;
import io.piecework.transport.PeerHandler;
import io.piecework.transport.TorrentPeers;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two ends of the transports' rate-limit tests: a seeder that answers every request at once
 * from memory (a shaper queues what is over its limit), and a leecher that counts the blocks in.
 */
public final class BlockServing {
    private BlockServing() {
    }

    /** Has every piece, unchokes, answers each request with zeros; counts the blocks it is sent. */
    public static final class Sender implements TorrentPeers {
        private final int pieces;
        private final AtomicInteger received = new AtomicInteger();

        public Sender(int pieces) {
            this.pieces = pieces;
        }

        /** Blocks the other end sent us (its uploads). */
        public int received() {
            return received.get();
        }

        @Override
        public int pieceCount() {
            return pieces;
        }

        @Override
        public PeerHandler connected(PeerConnection c) {
            c.haveAll();
            c.unchoke();
            return new PeerHandler() {
                @Override
                public void onRequest(int piece, int begin, int length) {
                    c.piece(piece, begin, ByteBuffer.allocate(length));
                }

                @Override
                public void onPiece(int piece, int begin, ByteBuffer block) {
                    received.incrementAndGet();
                }

                @Override
                public void onClosed(String reason) {
                }
            };
        }
    }

    /** Counts down a latch per block of the expected size that arrives. */
    public static final class Receiver implements TorrentPeers {
        private final int pieces;
        private final int blockSize;
        private volatile CountDownLatch done = new CountDownLatch(0);

        public Receiver(int pieces, int blockSize) {
            this.pieces = pieces;
            this.blockSize = blockSize;
        }

        public CountDownLatch expect(int count) {
            done = new CountDownLatch(count);
            return done;
        }

        @Override
        public int pieceCount() {
            return pieces;
        }

        @Override
        public PeerHandler connected(PeerConnection c) {
            return new PeerHandler() {
                @Override
                public void onPiece(int piece, int begin, ByteBuffer block) {
                    if (block.remaining() == blockSize) {
                        done.countDown(); // a wrong size never counts, so the test's wait fails
                    }
                }

                @Override
                public void onClosed(String reason) {
                }
            };
        }
    }
}
