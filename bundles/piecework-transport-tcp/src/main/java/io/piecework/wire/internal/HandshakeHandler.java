package io.piecework.wire.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.Handshake;
import io.piecework.wire.PeerDecoder;
import io.piecework.wire.PeerMessageListener;
import io.piecework.wire.WireEncoder;
import io.piecework.wire.WireException;
import io.piecework.transport.HandshakeCheck;
import io.piecework.transport.TorrentPeers;
import java.util.concurrent.TimeUnit;

/**
 * A connection's BEP 3 handshake, in the pipeline right before its {@link PeerChannel} until the
 * handshake is through: it sends ours (at once when we dialled, in answer when the peer did),
 * checks theirs and routes the connection to its torrent, closes a peer that takes too long, then
 * leaves the pipeline and hands on the bytes that came after the handshake. The connection keeps
 * nothing of it (its timer, its decoder, what we expected) once it is through.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter implements PeerMessageListener {
    private final NettyPeerTransport transport;
    private final PeerChannel peer;
    private final InfoHash expected; // null for incoming connections
    /** Only for the handshake's 68 bytes: it gathers them across reads and checks the protocol string. */
    private final PeerDecoder decoder;
    private ChannelHandlerContext context;
    private ScheduledFuture<?> timer;
    private int received;
    private boolean through;

    HandshakeHandler(NettyPeerTransport transport, PeerChannel peer, InfoHash expected) {
        this.transport = transport;
        this.peer = peer;
        this.expected = expected;
        this.decoder = new PeerDecoder(this, transport.settings().limits(), transport.bitmaps(), true);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        context = ctx;
        int millis = transport.settings().handshakeTimeoutMillis();
        timer = ctx.executor().schedule(() -> peer.close("no handshake within " + millis + " ms"),
                millis, TimeUnit.MILLISECONDS);
        if (expected != null) {
            send(expected);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        int n = Math.min(in.readableBytes(), Handshake.LENGTH - received);
        try {
            decoder.feed(in.nioBuffer(in.readerIndex(), n)); // calls onHandshake at the 68th byte
        } catch (WireException e) {
            in.release();
            peer.violation(e.getMessage());
            return;
        }
        received += n;
        in.skipBytes(n);
        if (!through) {
            in.release();
            return;
        }
        ctx.pipeline().remove(this);
        if (in.isReadable()) {
            ctx.fireChannelRead(in); // what the peer sent right after its handshake
        } else {
            in.release();
        }
    }

    @Override
    public void onHandshake(Handshake h) throws WireException {
        InfoHash infoHash = h.infoHash();
        TorrentPeers torrent = HandshakeCheck.torrentOf(h, expected, transport.localPeerId(), transport::torrent);
        if (expected == null) {
            send(infoHash);
        }
        cancelTimer();
        through = true;
        // The torrent's own info-hash rather than the copy just decoded: one fewer per connection.
        // The peer's: an upgraded connection is in the v2 swarm, which decides what it may be sent.
        InfoHash ours = transport.registeredHash(infoHash);
        peer.handshaken(new Handshake(h.reserved(), ours, h.peerId()), torrent);
    }

    private void send(InfoHash infoHash) {
        ByteBuf out = context.alloc().ioBuffer(Handshake.LENGTH);
        WireEncoder.handshake(out.internalNioBuffer(0, Handshake.LENGTH),
                HandshakeCheck.ours(infoHash, transport.localPeerId(), transport.settings().dht(), transport::torrent));
        out.writerIndex(Handshake.LENGTH);
        context.writeAndFlush(out, context.voidPromise());
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
