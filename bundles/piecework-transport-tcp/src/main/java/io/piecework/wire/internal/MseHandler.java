package io.piecework.wire.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.util.ReferenceCountUtil;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.WireException;
import io.piecework.wire.mse.DhKeys;
import io.piecework.wire.mse.MseFilter;
import io.piecework.wire.mse.MseHandshake;
import io.piecework.wire.mse.MsePolicy;
import io.piecework.wire.mse.Rc4;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Message stream encryption at the front of a connection's pipeline. Outgoing, it runs the
 * MSE handshake as initiator while the {@link PeerChannel} behind it waits (its writes are held
 * back); incoming, it looks at the first bytes: 19 + "BitTorrent protocol" is a plaintext
 * handshake, anything else an MSE one. Once the handshake is done it en/decrypts every byte in
 * place with RC4, or removes itself when plaintext was selected (or arrived).
 */
final class MseHandler extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(MseHandler.class);

    private final MsePolicy policy;
    private final InfoHash outgoing; // null for an incoming connection
    private final Function<byte[], InfoHash> skeys;
    private final SecureRandom random;
    private final ArrayDeque<Object> heldWrites = new ArrayDeque<>();
    private ByteBuf first; // incoming: the bytes seen before plaintext and MSE can be told apart
    private MseHandshake handshake;
    private Rc4 encryptor;
    private Rc4 decryptor;
    private boolean done;

    /**
     * @param outgoing the torrent we dial for, or null for an incoming connection
     * @param skeys    HASH('req2', info-hash) to a registered torrent, for incoming connections
     */
    MseHandler(MsePolicy policy, InfoHash outgoing, Function<byte[], InfoHash> skeys, SecureRandom random) {
        this.policy = policy;
        this.outgoing = outgoing;
        this.skeys = skeys;
        this.random = random;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (outgoing != null) {
            handshake = MseHandshake.initiator(DhKeys.generate(random), random, outgoing, policy, new byte[0]);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(handshake.start()), ctx.voidPromise());
        }
        ctx.fireChannelActive(); // PeerChannel starts its handshake timer, which covers ours too
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        if (done) {
            decrypt(buf);
            ctx.fireChannelRead(buf);
            return;
        }
        try {
            if (handshake == null && !detect(ctx, buf)) {
                return;
            }
            if (handshake == null) {
                return; // plaintext: passed on, and this handler is gone
            }
            ByteBuffer in = buf.nioBuffer();
            byte[] reply = handshake.feed(in);
            buf.skipBytes(in.position());
            if (reply.length > 0) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(reply), ctx.voidPromise());
            }
            if (handshake.done()) {
                finish(ctx, buf);
                buf = null;
            }
        } catch (WireException e) {
            LOG.info("peer {}: {}", ctx.channel().remoteAddress(), e.getMessage());
            ctx.fireExceptionCaught(e); // PeerChannel closes the connection with this reason
            ctx.close();
        } finally {
            if (buf != null) {
                buf.release();
            }
        }
    }

    /**
     * Incoming: gathers the first bytes until plaintext and MSE can be told apart. Returns true
     * when {@code buf} is to be fed to the MSE responder now; false when it was kept or passed on.
     */
    private boolean detect(ChannelHandlerContext ctx, ByteBuf buf) throws WireException {
        if (first == null) {
            first = ctx.alloc().buffer(MseFilter.OPENING_LENGTH);
        }
        first.writeBytes(buf, Math.min(MseFilter.OPENING_LENGTH - first.readableBytes(), buf.readableBytes()));
        MseFilter.Opening opening;
        try {
            opening = MseFilter.opening(policy, first.nioBuffer());
        } catch (WireException e) {
            first.release();
            first = null;
            throw e;
        }
        if (opening == MseFilter.Opening.UNDECIDED) {
            return false; // still undecided: all of buf is in first, at most 20 bytes
        }
        ByteBuf seen = first;
        first = null;
        if (opening == MseFilter.Opening.PLAINTEXT) {
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(seen);
            ctx.fireChannelRead(buf.retain());
            return false;
        }
        handshake = MseHandshake.responder(DhKeys.generate(random), random, skeys, policy);
        try {
            ByteBuffer in = seen.nioBuffer();
            byte[] reply = handshake.feed(in);
            if (reply.length > 0) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(reply), ctx.voidPromise());
            }
            if (handshake.done()) {
                // only with len(IA) 0 and all of step 3 in 20 bytes, which cannot happen: Ya is 96
                throw new IllegalStateException("handshake done within the detection bytes");
            }
        } finally {
            seen.release();
        }
        return true;
    }

    /** The handshake is done: switch to the payload stream, with what is left of {@code rest}. */
    private void finish(ChannelHandlerContext ctx, ByteBuf rest) {
        done = true;
        boolean rc4 = handshake.selected() == MseHandshake.CRYPTO_RC4;
        if (rc4) {
            encryptor = handshake.encryptor();
            decryptor = handshake.decryptor();
        }
        LOG.debug("peer {}: MSE done, {}", ctx.channel().remoteAddress(), rc4 ? "RC4" : "plaintext");
        while (!heldWrites.isEmpty()) {
            Object msg = heldWrites.poll();
            ChannelPromise promise = (ChannelPromise) heldWrites.poll();
            try {
                write(ctx, msg, promise);
            } catch (IOException e) {
                promise.tryFailure(e);
                ctx.fireExceptionCaught(e);
            }
        }
        ctx.flush();
        byte[] ia = handshake.initialPayload();
        handshake = null;
        if (!rc4) {
            ctx.pipeline().remove(this);
        }
        if (ia.length > 0) {
            ctx.fireChannelRead(Unpooled.wrappedBuffer(ia));
        }
        if (rest.isReadable()) {
            decrypt(rest);
            ctx.fireChannelRead(rest);
        } else {
            rest.release();
        }
    }

    private void decrypt(ByteBuf buf) {
        if (decryptor != null) {
            for (ByteBuffer part : buf.nioBuffers()) {
                decryptor.apply(part);
            }
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws IOException {
        if (!done) {
            heldWrites.add(msg); // PeerChannel's handshake, until we know how to send it
            heldWrites.add(promise);
            return;
        }
        if (encryptor == null) {
            ctx.write(msg, promise);
            return;
        }
        ByteBuf out;
        if (msg instanceof FileRegion region) {
            out = read(ctx, region); // RC4 needs the bytes: no sendfile on an encrypted stream
        } else if (((ByteBuf) msg).isReadOnly()) {
            ByteBuf in = (ByteBuf) msg;
            out = ctx.alloc().ioBuffer(in.readableBytes()).writeBytes(in);
            in.release();
        } else {
            out = (ByteBuf) msg; // our own fresh buffers: encrypted in place
        }
        for (ByteBuffer part : out.nioBuffers()) {
            encryptor.apply(part);
        }
        ctx.write(out, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (done) {
            ctx.flush();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handshake != null) {
            try {
                handshake.ended();
            } catch (WireException e) {
                LOG.debug("peer {}: {}", ctx.channel().remoteAddress(), e.getMessage());
            }
        }
        release();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    private void release() {
        if (first != null) {
            first.release();
            first = null;
        }
        while (!heldWrites.isEmpty()) {
            Object msg = heldWrites.poll();
            ChannelPromise promise = (ChannelPromise) heldWrites.poll();
            ReferenceCountUtil.release(msg);
            if (!promise.isVoid()) { // a void one would report this as the connection's error
                promise.tryFailure(new IOException("closed during the MSE handshake"));
            }
        }
    }

    private static ByteBuf read(ChannelHandlerContext ctx, FileRegion region) throws IOException {
        int count = (int) region.count();
        ByteBuf out = ctx.alloc().ioBuffer(count);
        WritableByteChannel into = new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) {
                int n = src.remaining();
                out.writeBytes(src);
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        try {
            while (region.transferred() < count) {
                if (region.transferTo(into, region.transferred()) <= 0) {
                    throw new IOException("block of " + count + " bytes could not be read");
                }
            }
        } catch (IOException e) {
            out.release();
            throw e;
        } finally {
            region.release();
        }
        return out;
    }
}
