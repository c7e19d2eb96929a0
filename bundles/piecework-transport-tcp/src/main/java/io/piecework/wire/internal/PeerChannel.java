package io.piecework.wire.internal;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.ExtendedHandshake;
import io.piecework.wire.Handshake;
import io.piecework.wire.PeerDecoder;
import io.piecework.wire.PeerMessageListener;
import io.piecework.wire.WireEncoder;
import io.piecework.wire.WireException;
import io.piecework.transport.FixedMessages;
import io.piecework.transport.PeerConnection;
import io.piecework.transport.PeerHandler;
import io.piecework.transport.TorrentPeers;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin adapter between a Netty channel and the codec: ByteBufs into {@link PeerDecoder},
 * sends through {@link WireEncoder} into pooled buffers. It also owns the connection's
 * life after the handshake ({@link HandshakeHandler}, before it in the pipeline until then):
 * keep-alives, idle timeout and read backpressure.
 */
final class PeerChannel extends ChannelDuplexHandler implements FixedMessages {
    private static final Logger LOG = LoggerFactory.getLogger(PeerChannel.class);
    /** {@link #batchesQueued} as a field rather than an AtomicInteger each: 16 bytes less per connection. */
    private static final AtomicIntegerFieldUpdater<PeerChannel> BATCHES_QUEUED =
            AtomicIntegerFieldUpdater.newUpdater(PeerChannel.class, "batchesQueued");
    /** The decoder's listener until the handshake names the torrent: nothing reaches it before. */
    private static final PeerMessageListener NOBODY = new PeerMessageListener() {
    };

    private final NettyPeerTransport transport;
    /** Told when the handshake is through or fails; null for incoming connections and once told. */
    private CompletableFuture<PeerConnection> connected;
    private final PeerDecoder decoder;
    private Channel channel;
    private Handshake remote;
    private PeerHandler handler;
    private int pieceCount = -1;
    private boolean inRead;
    private boolean paused;
    private String closeReason;
    /** Where this connection is in its event loop's {@link KeepAlive} list, -1 when not in it. */
    int sweepIndex = -1;
    private long lastRead;
    private volatile long lastWrite;
    private boolean flushScheduled;
    /** Made at the first flush from another thread's write: an idle connection never needs it. */
    private Runnable flushTask;
    private ChannelHandlerContext context;
    private boolean batching; // on the loop: a batch's writes wait for its one flush
    private volatile int batchesQueued; // handed to the loop, not run: not to be overtaken; see BATCHES_QUEUED
    private final SmallWrites small = new SmallWrites(); // a read's or batch's small messages, as one buffer

    /** @param connected told when the handshake is through or fails; null for incoming connections */
    PeerChannel(NettyPeerTransport transport, CompletableFuture<PeerConnection> connected) {
        this.transport = transport;
        this.connected = connected;
        this.decoder = new PeerDecoder(NOBODY, transport.settings().limits(), transport.bitmaps(), false);
    }

    /** The handlers of a connection, after the shapers and the MSE handler; {@code expected} null for incoming. */
    static PeerChannel addTo(ChannelPipeline pipeline, NettyPeerTransport transport, InfoHash expected,
                             CompletableFuture<PeerConnection> connected) {
        PeerChannel peer = new PeerChannel(transport, connected);
        pipeline.addLast(new HandshakeHandler(transport, peer, expected), peer);
        return peer;
    }

    // ---- Netty side ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    /**
     * Flushes requested through the pipeline (writes from other threads, such as uploads from
     * the engine's disk pool, arrive as one task each) wait for the tasks already queued: one
     * socket write per batch of blocks rather than one per block. Flushes at the end of a read
     * go straight to the socket (they start from this handler's context, below this method).
     */
    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (!flushScheduled) {
            flushScheduled = true;
            if (flushTask == null) { // on the loop, like every call of this handler
                flushTask = () -> {
                    flushScheduled = false;
                    ctx.flush();
                };
            }
            ctx.executor().execute(flushTask);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        lastRead = System.nanoTime();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        inRead = true;
        try {
            lastRead = System.nanoTime();
            if (buf.nioBufferCount() == 1) {
                decoder.feed(buf.internalNioBuffer(buf.readerIndex(), buf.readableBytes()));
            } else {
                for (ByteBuffer b : buf.nioBuffers()) {
                    decoder.feed(b);
                }
            }
        } catch (WireException e) {
            if (closeReason == null) {
                violation(e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.warn("peer {}: handler failed", channel.remoteAddress(), e);
            close("handler failed: " + e);
        } finally {
            buf.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inRead = false;
        small.emit(channel);
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = channel.isWritable();
        updateAutoRead();
        if (handler != null) {
            handler.onWritabilityChanged(writable);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        close("I/O error: " + cause.getMessage());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        transport.keepAlive().remove(this, ctx.channel().eventLoop());
        small.release();
        String reason = closeReason != null ? closeReason : "closed by peer";
        LOG.debug("peer {} closed: {}", channel.remoteAddress(), reason);
        if (connected != null) {
            connected.completeExceptionally(new java.io.IOException(reason));
            connected = null;
        }
        if (handler != null) {
            PeerHandler h = handler;
            handler = null;
            h.onClosed(reason);
        }
        ctx.fireChannelInactive();
    }

    /** Closes only this connection, with the rule that was broken logged. */
    void violation(String reason) {
        LOG.info("peer {} violated the protocol, closing: {}", channel.remoteAddress(), reason);
        close("protocol violation: " + reason);
    }

    // ---- handshake ----

    /**
     * From {@link HandshakeHandler} on the loop, in the read that completed the handshake: the
     * connection joins its torrent.
     */
    void handshaken(Handshake h, TorrentPeers torrent) {
        inRead = true; // the torrent's first sends go out with this read's flush (channelReadComplete)
        transport.shape(channel, h.infoHash()); // the torrent's limits, if it has any
        remote = h;
        pieceCount = torrent.pieceCount();
        decoder.pieceCount(pieceCount);
        decoder.fastExtension(fastExtension());
        transport.keepAlive().add(this, channel.eventLoop());
        handler = torrent.connected(this);
        if (handler == null) {
            close("refused by the torrent");
            return;
        }
        decoder.listener(handler); // the peer's messages go straight to its torrent from now on
        if (connected != null) {
            connected.complete(this);
            connected = null; // kept for the connection's life, it was heap for nothing
        }
    }

    /** Keep-alive and idle check, from {@link KeepAlive} on this connection's event loop. */
    void tick() {
        long now = System.nanoTime();
        if (now - lastRead > TimeUnit.MILLISECONDS.toNanos(transport.settings().idleTimeoutMillis())) {
            close("nothing received for " + transport.settings().idleTimeoutMillis() + " ms");
        } else if (now - lastWrite > TimeUnit.MILLISECONDS.toNanos(transport.settings().keepAliveIntervalMillis())) {
            send(WireEncoder.KEEP_ALIVE_LENGTH, WireEncoder::keepAlive);
        }
    }

    /**
     * On the loop, after a limit changed: the shapers with a limit join the pipeline, those
     * without leave it. One that leaves reopens reads and writes its queue without a flush:
     * our own read pause is applied again and the queue flushed.
     */
    void reshape() {
        if (remote != null && transport.shape(channel, remote.infoHash())) {
            updateAutoRead();
            channel.flush();
        }
    }

    // ---- PeerConnection ----

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    @Override
    public boolean encrypted() {
        // MseHandler leaves the pipeline once a plaintext stream is agreed; it stays only for RC4.
        return channel != null && channel.pipeline().get(MseHandler.class) != null;
    }

    @Override
    public Handshake remoteHandshake() {
        return remote;
    }

    @Override
    public ExtendedHandshake remoteExtendedHandshake() {
        return decoder.remoteExtendedHandshake();
    }

    @Override
    public void pieceCount(int pieces) {
        onLoop(() -> {
            pieceCount = pieces;
            decoder.pieceCount(pieces);
        });
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public void pauseReading() {
        onLoop(() -> {
            paused = true;
            updateAutoRead();
        });
    }

    @Override
    public void resumeReading() {
        onLoop(() -> {
            paused = false;
            updateAutoRead();
        });
    }

    /**
     * Reads only while the engine wants them and the peer takes what we send (backpressure).
     * A rate limiter may have turned auto-read back on while we held it (its timer does so
     * unconditionally) with the read swallowed by {@link #read}: ask for one again.
     */
    private void updateAutoRead() {
        boolean reading = wantsReads();
        channel.config().setAutoRead(reading);
        if (reading) {
            channel.read();
        }
    }

    private boolean wantsReads() {
        return !paused && !RateShapers.socketBacklog(channel);
    }

    /** Our pause wins over a rate limiter's timer that reopens reads (shapers sit between us and the socket). */
    @Override
    public void read(ChannelHandlerContext ctx) {
        if (channel == null || wantsReads()) {
            ctx.read();
        }
    }

    @Override
    public void bitfield(RoaringBitmap pieces) {
        int count = pieceCount;
        if (count < 0) {
            throw new IllegalStateException("bitfield needs the piece count");
        }
        send(WireEncoder.bitfieldLength(count), b -> WireEncoder.bitfield(b, pieces, count));
    }

    @Override
    public void request(int piece, int begin, int length) {
        // Hot path: no capturing lambda.
        if (gathering()) {
            WireEncoder.request(small.reserve(channel, WireEncoder.BLOCK_REF_LENGTH), piece, begin, length);
            return;
        }
        ByteBuf out = channel.alloc().ioBuffer(WireEncoder.BLOCK_REF_LENGTH);
        WireEncoder.request(out.internalNioBuffer(0, WireEncoder.BLOCK_REF_LENGTH), piece, begin, length);
        write(out.writerIndex(WireEncoder.BLOCK_REF_LENGTH));
    }

    @Override
    public void piece(int piece, int begin, ByteBuffer block) {
        int length = WireEncoder.PIECE_HEADER_LENGTH + block.remaining();
        ByteBuf out = channel.alloc().ioBuffer(length);
        WireEncoder.piece(out.internalNioBuffer(0, length), piece, begin, block);
        write(out.writerIndex(length));
    }

    @Override
    public void piece(int piece, int begin, FileChannel file, long position, int length) {
        piece(piece, begin, file, position, length, null);
    }

    @Override
    public void piece(int piece, int begin, FileChannel file, long position, int length, Runnable done) {
        FileBlockRegion region = new FileBlockRegion(file, position, length, done);
        // Header and region must lie next to each other on the wire, and several disk threads
        // may send at once: one task on the event loop writes both.
        Runnable send = () -> {
            small.emit(channel); // what a read or batch gathered goes first
            ByteBuf header = channel.alloc().ioBuffer(WireEncoder.PIECE_HEADER_LENGTH);
            WireEncoder.pieceHeader(header.internalNioBuffer(0, WireEncoder.PIECE_HEADER_LENGTH), piece, begin, length);
            channel.write(header.writerIndex(WireEncoder.PIECE_HEADER_LENGTH), channel.voidPromise());
            write(region);
        };
        try {
            onLoop(send);
        } catch (RejectedExecutionException loopShutDown) {
            region.release(); // nothing will send it: let the file go
        }
    }

    @Override
    public void close(String reason) {
        onLoop(() -> {
            if (closeReason == null) {
                closeReason = reason;
            }
            decoder.stop(reason); // nothing more reaches the handler, even from the current read
            channel.close();
        });
    }

    // ---- writing ----

    @Override
    public void send(int length, Consumer<ByteBuffer> encode) {
        if (length <= SmallWrites.MAX_MESSAGE && gathering()) {
            encode.accept(small.reserve(channel, length));
            return;
        }
        ByteBuf out = channel.alloc().ioBuffer(length);
        encode.accept(out.internalNioBuffer(0, length));
        out.writerIndex(length);
        write(out);
    }

    @Override
    public void batch(Runnable sends) {
        if (batchesQueued == 0 && channel.eventLoop().inEventLoop()) {
            runBatch(sends);
            return;
        }
        BATCHES_QUEUED.incrementAndGet(this);
        channel.eventLoop().execute(() -> {
            BATCHES_QUEUED.decrementAndGet(this);
            runBatch(sends);
        });
    }

    /**
     * On the loop: the sends are written, then flushed once (in a read, by channelReadComplete).
     * A batch from another thread while a block is half in is flushed at once too: leaving its
     * flush to the read that brings the rest saved half of the 9-byte have writes but cost
     * more CPU per GiB in two swapped 512 MiB runs (docs/strategies.md, branch s7-net).
     */
    private void runBatch(Runnable sends) {
        batching = true;
        try {
            sends.run();
        } finally {
            batching = false;
        }
        if (!inRead) {
            small.emit(channel);
            context.flush();
        }
    }

    /** On the loop in a read or batch: small messages are gathered into one buffer (SmallWrites). */
    private boolean gathering() {
        if ((inRead || batching) && channel.eventLoop().inEventLoop()) {
            lastWrite = System.nanoTime();
            return true;
        }
        return false;
    }

    /** Inside a read or a batch on the loop the flush waits for its end, so messages go out together. */
    private void write(Object msg) {
        if (channel.eventLoop().inEventLoop()) {
            small.emit(channel); // gathered messages were sent before this one (other threads' come after)
        }
        lastWrite = System.nanoTime();
        if ((inRead || batching) && channel.eventLoop().inEventLoop()) {
            channel.write(msg, channel.voidPromise());
        } else {
            channel.writeAndFlush(msg, channel.voidPromise());
        }
    }

    private void onLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            channel.eventLoop().execute(task);
        }
    }

    /** The Netty channel, for the transport's tests of its options. */
    Channel channel() {
        return channel;
    }

    @Override
    public String toString() {
        return "PeerChannel[" + (channel == null ? "unconnected" : channel.remoteAddress()) + "]";
    }
}
