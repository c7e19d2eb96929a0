package io.piecework.loadtest.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.Handshake;
import io.piecework.wire.PeerDecoder;
import io.piecework.wire.PeerId;
import io.piecework.wire.PeerMessageListener;
import io.piecework.wire.WireEncoder;
import io.piecework.wire.WireException;
import io.piecework.wire.WireLimits;
import java.nio.ByteBuffer;
import org.roaringbitmap.RoaringBitmap;

/**
 * One fake seeder's end of one connection, on the load test's own event loop. It answers the
 * engine's handshake, announces every piece but {@code missing} (so it is no seed, and the
 * engine, once complete, keeps the connection instead of closing seed-to-seed links),
 * unchokes, and serves each request from the shared payload. It announces no extension, so
 * the engine sees a plain BEP 3 peer; it never requests anything itself. A peer that dialled
 * the engine ({@code dialing}) sends its handshake first, as BEP 3 has the initiator do.
 */
final class FakePeer extends ChannelInboundHandlerAdapter implements PeerMessageListener {
    private final InfoHash infoHash;
    private final Payload payload;
    private final int missing;
    private final PeerId id;
    private final FakeSwarm swarm;
    private final PeerDecoder decoder;
    private final boolean dialing;
    private ChannelHandlerContext ctx;
    /** The engine's handshake arrived; read by the swarm once the connection closed. */
    private volatile boolean answered;

    /**
     * @param missing the piece this peer lacks, or -1 for a full seed
     * @param dialing whether this end opened the connection
     */
    FakePeer(InfoHash infoHash, Payload payload, int missing, PeerId id, FakeSwarm swarm, boolean dialing) {
        this.dialing = dialing;
        this.infoHash = infoHash;
        this.payload = payload;
        this.missing = missing;
        this.id = id;
        this.swarm = swarm;
        this.decoder = new PeerDecoder(this, WireLimits.DEFAULT, RoaringBitmap::new, true);
        decoder.pieceCount(payload.pieceCount());
        decoder.fastExtension(false);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        swarm.opened(ctx.channel());
        if (dialing) {
            ByteBuf out = ctx.alloc().buffer(Handshake.LENGTH);
            ByteBuffer b = out.nioBuffer(0, Handshake.LENGTH);
            WireEncoder.handshake(b, new Handshake(new byte[8], infoHash, id));
            out.writerIndex(Handshake.LENGTH);
            ctx.writeAndFlush(out);
        }
    }

    boolean answered() {
        return answered;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        swarm.closed(ctx.channel());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            for (ByteBuffer b : in.nioBuffers()) {
                decoder.feed(b);
            }
        } catch (WireException e) {
            swarm.violation(e.getMessage());
            ctx.close();
        } finally {
            in.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset from a closing engine is part of churn and shutdown, not a finding.
        ctx.close();
    }

    @Override
    public void onHandshake(Handshake handshake) throws WireException {
        if (!handshake.infoHash().equals(infoHash)) {
            throw new WireException("handshake for " + handshake.infoHash() + ", this peer seeds " + infoHash);
        }
        answered = true;
        int pieces = payload.pieceCount();
        ByteBuf out = ctx.alloc().buffer(Handshake.LENGTH + WireEncoder.bitfieldLength(pieces) + WireEncoder.SIMPLE_LENGTH);
        ByteBuffer b = out.nioBuffer(0, out.capacity());
        if (!dialing) {
            WireEncoder.handshake(b, new Handshake(new byte[8], infoHash, id));
        }
        RoaringBitmap have = new RoaringBitmap();
        have.add(0L, pieces);
        if (missing >= 0) {
            have.remove(missing);
        }
        WireEncoder.bitfield(b, have, pieces);
        WireEncoder.unchoke(b);
        out.writerIndex(b.position());
        ctx.write(out);
    }

    @Override
    public void onRequest(int piece, int begin, int length) {
        if (piece < 0 || piece >= payload.pieceCount() || piece == missing || begin < 0 || length <= 0
                || (long) begin + length > payload.pieceSize(piece)) {
            swarm.violation("request outside what this peer has: piece " + piece + " at " + begin + " for " + length);
            ctx.close();
            return;
        }
        ByteBuf header = ctx.alloc().buffer(WireEncoder.PIECE_HEADER_LENGTH);
        WireEncoder.pieceHeader(header.nioBuffer(0, WireEncoder.PIECE_HEADER_LENGTH), piece, begin, length);
        header.writerIndex(WireEncoder.PIECE_HEADER_LENGTH);
        ctx.write(header);
        ctx.write(payload.block(piece, begin, length));
        swarm.served(length);
    }
}
