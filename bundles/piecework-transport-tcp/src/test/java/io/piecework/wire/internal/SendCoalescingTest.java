package io.piecework.wire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.piecework.transport.PeerConnection;
import io.piecework.wire.WireEncoder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/** How a connection's sends reach the socket: the small messages of one read or batch as one buffer, in order. */
class SendCoalescingTest {
    private NettyPeerTransport transport;
    private Events torrent;
    private EmbeddedChannel ch;
    private PeerConnection c;

    @BeforeEach
    void setUp() throws Exception {
        transport = new NettyPeerTransport(TransportSettings.defaults().withListen("127.0.0.1", -1), RoaringBitmap::new);
        torrent = new Events(10);
        transport.register(PeerChannelTest.HASH, torrent);
        ch = new EmbeddedChannel();
        PeerChannel.addTo(ch.pipeline(), transport, null, null);
        ch.pipeline().fireChannelActive();
        ch.writeInbound(Unpooled.wrappedBuffer(PeerChannelTest.handshake(PeerChannelTest.HASH)));
        c = torrent.connection();
        outbound(); // our handshake and bitfield
    }

    @AfterEach
    void tearDown() {
        ch.finishAndReleaseAll();
        transport.close();
    }

    /** Each buffer written to the socket, as hex. */
    private List<String> outbound() {
        List<String> out = new ArrayList<>();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            out.add(ByteBufUtil.hexDump(b));
            b.release();
        }
        return out;
    }

    private static String request(int piece, int begin) {
        ByteBuffer b = ByteBuffer.allocate(WireEncoder.BLOCK_REF_LENGTH);
        WireEncoder.request(b, piece, begin, 16384);
        return ByteBufUtil.hexDump(b.array());
    }

    private static String have(int piece) {
        ByteBuffer b = ByteBuffer.allocate(WireEncoder.INDEX_LENGTH);
        WireEncoder.have(b, piece);
        return ByteBufUtil.hexDump(b.array());
    }

    /** The first bytes of a piece message for piece 2: the header and 100 of its 16384 bytes. */
    private static ByteBuf halfABlock() {
        ByteBuffer b = ByteBuffer.allocate(WireEncoder.PIECE_HEADER_LENGTH + 100);
        WireEncoder.pieceHeader(b, 2, 0, 16384);
        return Unpooled.wrappedBuffer(b.array());
    }

    @Test
    void theRequestsAndHavesOfOneBatchLeaveAsOneBuffer() {
        c.batch(() -> {
            c.request(1, 0, 16384);
            c.request(1, 16384, 16384);
            c.have(3);
            c.request(1, 32768, 16384);
        });
        assertEquals(List.of(request(1, 0) + request(1, 16384) + have(3) + request(1, 32768)), outbound());
    }

    @Test
    void theSendsOfOneReadLeaveAsOneBufferAfterALargerMessage() {
        torrent.reply = (conn, e) -> {
            if (e.startsWith("have")) {
                conn.request(4, 0, 16384);
                conn.interested();
                conn.piece(0, 0, ByteBuffer.allocate(100)); // larger: written on its own, in order
                conn.request(4, 16384, 16384);
            }
        };
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 5, 4, 0, 0, 0, 4}));
        assertEquals(List.of(request(4, 0) + "0000000102", "0000006d07" + "00".repeat(108),
                request(4, 16384)), outbound());
    }

    /** Leaving its flush to the read that brings the rest cost more than it saved (PeerChannel.runBatch). */
    @Test
    void aBatchWhileABlockIsHalfInIsFlushedAtOnce() {
        ch.writeInbound(halfABlock());
        c.batch(() -> c.have(3)); // as the hashing thread's would, between two reads
        assertEquals(List.of(have(3)), outbound());
    }

    @Test
    void whatABatchGatheredGoesBeforeABlockSentFromAFile() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("block", ".bin");
        try (java.nio.channels.FileChannel fc = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            fc.write(ByteBuffer.wrap(new byte[] {7, 7}));
            c.batch(() -> {
                c.have(3);
                c.piece(1, 0, fc, 0, 2); // on the loop: written at once, after the have
            });
            List<String> out = new ArrayList<>();
            Object m;
            while ((m = ch.readOutbound()) != null) {
                out.add(m instanceof ByteBuf b ? ByteBufUtil.hexDump(b) : "region");
                io.netty.util.ReferenceCountUtil.release(m);
            }
            assertEquals(List.of(have(3), "0000000b07" + "00000001" + "00000000", "region"), out);
        } finally {
            java.nio.file.Files.delete(file);
        }
    }
}
