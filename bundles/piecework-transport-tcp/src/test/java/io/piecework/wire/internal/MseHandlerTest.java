package io.piecework.wire.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.mse.DhKeys;
import io.piecework.wire.mse.MseHandshake;
import io.piecework.wire.mse.MsePolicy;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The handler without a network: plaintext vs. MSE detection, bytes in one at a time. */
class MseHandlerTest {
    private static final InfoHash HASH = PeerChannelTest.HASH;
    private static final byte[] PLAINTEXT = ("\u0013BitTorrent protocol" + "\0".repeat(8) + "x".repeat(40))
            .getBytes(StandardCharsets.ISO_8859_1);

    private static EmbeddedChannel incoming(MsePolicy policy) {
        return new EmbeddedChannel(new MseHandler(policy, null,
                req2 -> Arrays.equals(req2, MseHandshake.req2(HASH)) ? HASH : null, new SecureRandom()),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        // PeerChannel's part in the real pipeline: it closes with the reason
                    }
                });
    }

    private static byte[] inbound(EmbeddedChannel ch) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (ByteBuf b; (b = ch.readInbound()) != null; ) {
            all.writeBytes(ByteBufUtil.getBytes(b));
            b.release();
        }
        return all.toByteArray();
    }

    @Test
    void aPlaintextHandshakeFedByteByBytePassesThroughAndTheHandlerLeaves() {
        EmbeddedChannel ch = incoming(MsePolicy.PREFER_ENCRYPTED);
        for (byte b : PLAINTEXT) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertArrayEquals(PLAINTEXT, inbound(ch));
        assertNull(ch.pipeline().get(MseHandler.class));
        assertTrue(ch.isOpen());
    }

    @Test
    void aPlaintextHandshakeIsRefusedWhenForced() {
        EmbeddedChannel ch = incoming(MsePolicy.FORCED);
        ch.writeInbound(Unpooled.wrappedBuffer(PLAINTEXT));
        assertFalse(ch.isOpen());
        assertEquals(0, inbound(ch).length);
    }

    @Test
    void anEncryptedHandshakeIsAnsweredAndItsPayloadDecrypted() throws Exception {
        EmbeddedChannel ch = incoming(MsePolicy.FORCED);
        MseHandshake a = MseHandshake.initiator(DhKeys.generate(new SecureRandom()), new Random(1), HASH,
                MsePolicy.FORCED, PLAINTEXT);
        for (byte b : a.start()) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        ByteBuf yb = ch.readOutbound();
        assertNotNull(yb, "Yb and PadB answer Ya");
        byte[] step3 = a.feed(yb.nioBuffer());
        yb.release();
        ch.writeInbound(Unpooled.wrappedBuffer(step3));
        ByteBuf step4 = ch.readOutbound();
        a.feed(step4.nioBuffer());
        step4.release();
        assertTrue(a.done());
        assertArrayEquals(PLAINTEXT, inbound(ch), "the initial payload, decrypted");

        byte[] more = "have 1".getBytes(StandardCharsets.US_ASCII);
        a.encryptor().apply(ByteBuffer.wrap(more));
        ch.writeInbound(Unpooled.wrappedBuffer(more));
        assertEquals("have 1", new String(inbound(ch), StandardCharsets.US_ASCII));

        ch.writeOutbound(Unpooled.copiedBuffer("unchoke", StandardCharsets.US_ASCII));
        ByteBuf sent = ch.readOutbound();
        byte[] wire = ByteBufUtil.getBytes(sent);
        sent.release();
        a.decryptor().apply(ByteBuffer.wrap(wire));
        assertEquals("unchoke", new String(wire, StandardCharsets.US_ASCII));
    }

    @Test
    void garbageClosesTheConnection() {
        EmbeddedChannel ch = incoming(MsePolicy.PREFER_PLAINTEXT);
        byte[] garbage = new byte[2048];
        new Random(2).nextBytes(garbage);
        garbage[0] = 7;
        ch.writeInbound(Unpooled.wrappedBuffer(garbage));
        assertFalse(ch.isOpen());
    }
}
