package io.piecework.wire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.Handshake;
import io.piecework.wire.PeerId;
import io.piecework.wire.WireEncoder;
import io.piecework.transport.PeerConnection;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/** The adapter without a network: bytes in through EmbeddedChannel, bytes out read back. */
class PeerChannelTest {
    static final InfoHash HASH = InfoHash.parse("0123456789abcdef0123456789abcdef01234567");
    private NettyPeerTransport transport;
    private Events torrent;

    @BeforeEach
    void setUp() throws Exception {
        transport = new NettyPeerTransport(TransportSettings.defaults().withListen("127.0.0.1", -1)
                .withTimeouts(1000, 500, 60_000, 180_000), RoaringBitmap::new);
        torrent = new Events(10);
        transport.register(HASH, torrent);
    }

    @AfterEach
    void tearDown() {
        transport.close();
    }

    static byte[] handshake(InfoHash hash) {
        ByteBuffer b = ByteBuffer.allocate(Handshake.LENGTH);
        WireEncoder.handshake(b, new Handshake(Handshake.ourReserved(false), hash, PeerId.generate(new Random(3))));
        return b.array();
    }

    /** An incoming connection's handlers as the transport sets them up: the handshake's, then the peer's. */
    private EmbeddedChannel incoming() {
        EmbeddedChannel ch = new EmbeddedChannel();
        PeerChannel.addTo(ch.pipeline(), transport, null, null);
        ch.pipeline().fireChannelActive(); // the channel was already active when the handlers joined
        return ch;
    }

    /** An incoming channel whose clock moves only when the test advances it, so a slow machine cannot fire timers early. */
    private EmbeddedChannel incomingOnFrozenClock() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        PeerChannel.addTo(ch.pipeline(), transport, null, null);
        ch.pipeline().fireChannelActive(); // the channel was already active when the handler joined
        return ch;
    }

    private static String outbound(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            sb.append(io.netty.buffer.ByteBufUtil.hexDump(b));
            b.release();
        }
        return sb.toString();
    }

    @Test
    void routesIncomingHandshakeToItsTorrentAndAnswers() throws Exception {
        EmbeddedChannel ch = incoming();
        byte[] in = handshake(HASH);
        ch.writeInbound(Unpooled.wrappedBuffer(in, HexFormat.of().parseHex("0000000305ffc0")));
        String out = outbound(ch);
        assertEquals(Handshake.LENGTH * 2, out.length());
        assertTrue(out.startsWith("13426974546f7272656e742070726f746f636f6c0000000000100004" + HASH.hex()), out);
        assertTrue(out.endsWith(HexFormat.of().formatHex(transport.localPeerId().bytes())));
        assertEquals("bitfield {0,1,2,3,4,5,6,7,8,9}", torrent.next());
        PeerConnection c = torrent.connection();
        assertTrue(c.fastExtension() && c.extensionProtocol());
        assertTrue(ch.isOpen());
    }

    @Test
    void answersForAV2TorrentWithTheV2Bit() {
        InfoHash v2Hash = InfoHash.parse("d4941e07d4ec54b074ad4e24138c086880ec2031");
        transport.register(v2Hash, new Events(10) {
            @Override
            public boolean v2() {
                return true;
            }
        });
        EmbeddedChannel ch = incoming();
        ch.writeInbound(Unpooled.wrappedBuffer(handshake(v2Hash)));
        // BEP 52: reserved byte 7 bit 0x10, beside the fast extension's 0x04.
        assertTrue(outbound(ch).startsWith("13426974546f7272656e742070726f746f636f6c0000000000100014" + v2Hash.hex()));
        assertTrue(new Handshake(Handshake.ourReserved(false, true), v2Hash, transport.localPeerId()).supportsV2());
    }

    /** The handshake's state (timer, decoder, expected hash) is not kept for the connection's life. */
    @Test
    void theHandshakesHandlerLeavesThePipelineOnceTheHandshakeIsThrough() throws Exception {
        EmbeddedChannel ch = incoming();
        byte[] in = handshake(HASH);
        ch.writeInbound(Unpooled.wrappedBuffer(in, 0, 30));
        assertNotNull(ch.pipeline().get(HandshakeHandler.class), "halfway through the handshake");
        // The rest of the handshake and a message right behind it, in one read.
        ch.writeInbound(Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(in, 30, Handshake.LENGTH - 30),
                Unpooled.wrappedBuffer(HexFormat.of().parseHex("0000000102"))));
        assertNull(ch.pipeline().get(HandshakeHandler.class), "through");
        assertNotNull(ch.pipeline().get(PeerChannel.class));
        assertEquals("interested", torrent.next());
        assertTrue(ch.isOpen());
    }

    @Test
    void closesIncomingConnectionForUnknownInfoHash() {
        EmbeddedChannel ch = incoming();
        ch.writeInbound(Unpooled.wrappedBuffer(handshake(InfoHash.parse("ffffffffffffffffffffffffffffffffffffffff"))));
        assertFalse(ch.isOpen());
        assertEquals("", outbound(ch), "no handshake is sent for a torrent we do not have");
        assertNull(torrent.connections.poll());
    }

    @Test
    void violationClosesWithTheReason() throws Exception {
        EmbeddedChannel ch = incoming();
        ch.writeInbound(Unpooled.wrappedBuffer(handshake(HASH), HexFormat.of().parseHex("0000000102ffffffff")));
        assertEquals("interested", torrent.next());
        assertFalse(ch.isOpen());
        assertEquals("protocol violation: length prefix 4294967295 exceeds the limit of 1048576", torrent.closeReason());
    }

    @Test
    void handshakeTimeoutClosesSilentPeer() {
        EmbeddedChannel ch = incomingOnFrozenClock();
        ch.writeInbound(Unpooled.wrappedBuffer(handshake(HASH), 0, 30)); // part of a handshake, then silence
        ch.advanceTimeBy(499, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isOpen());
        ch.advanceTimeBy(2, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isOpen());
    }

    @Test
    void stopsReadingWhileTheWriterIsBehind() throws Exception {
        EmbeddedChannel ch = incoming();
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8 * 1024, 32 * 1024));
        List<Boolean> autoReadDuringRead = new ArrayList<>();
        torrent.reply = (c, e) -> {
            if (e.startsWith("request")) {
                for (int i = 0; i < 4; i++) {
                    c.piece(1, i * 16384, ByteBuffer.allocate(16384));
                }
                autoReadDuringRead.add(ch.config().isAutoRead());
                autoReadDuringRead.add(c.isWritable());
            }
        };
        ch.writeInbound(Unpooled.wrappedBuffer(handshake(HASH), HexFormat.of().parseHex("0000000d06000000010000000000004000")));
        assertEquals(List.of(false, false), autoReadDuringRead, "reading stops once the queue passes its high mark");
        assertEquals("request 1 0 16384", torrent.next());
        assertEquals("writable false", torrent.next());
        // channelReadComplete flushed the queue: writable again, reading again.
        assertEquals("writable true", torrent.next());
        assertTrue(ch.config().isAutoRead());
        assertEquals(Handshake.LENGTH * 2 + 4 * (13 + 16384) * 2, outbound(ch).length());
    }

    @Test
    void nothingReachesTheHandlerAfterItClosesTheConnection() throws Exception {
        EmbeddedChannel ch = incoming();
        torrent.reply = (c, e) -> c.close("engine says no");
        ch.writeInbound(Unpooled.wrappedBuffer(handshake(HASH), HexFormat.of().parseHex("0000000102" + "0000000101")));
        assertEquals("interested", torrent.next());
        assertEquals("engine says no", torrent.closeReason());
        assertNull(torrent.events.poll(), "the unchoke after the close was not delivered");
        assertFalse(ch.isOpen());
    }

    @Test
    void refusedPeerIsClosed() {
        Events refusing = new Events(1) {
            @Override
            public io.piecework.transport.PeerHandler connected(PeerConnection c) {
                return null;
            }
        };
        InfoHash other = InfoHash.parse("3333333333333333333333333333333333333333");
        transport.register(other, refusing);
        EmbeddedChannel ch = incoming();
        ch.writeInbound(Unpooled.wrappedBuffer(handshake(other), HexFormat.of().parseHex("0000000102")));
        assertFalse(ch.isOpen());
    }

    @Test
    void blockSplitAcrossReadsLandsInTheHandlersDestination() throws Exception {
        EmbeddedChannel ch = incoming();
        torrent.destination = ByteBuffer.allocateDirect(16384);
        ch.writeInbound(Unpooled.wrappedBuffer(handshake(HASH)));
        byte[] block = new byte[16384];
        new Random(4).nextBytes(block);
        ByteBuffer wire = ByteBuffer.allocate(WireEncoder.PIECE_HEADER_LENGTH + block.length);
        WireEncoder.piece(wire, 2, 0, ByteBuffer.wrap(block));
        byte[] w = wire.array();
        ch.writeInbound(Unpooled.wrappedBuffer(w, 0, 7));
        ch.writeInbound(Unpooled.directBuffer().writeBytes(w, 7, 9000));
        ch.writeInbound(Unpooled.wrappedBuffer(w, 9007, w.length - 9007));
        assertEquals("piece 2 0 in destination " + HexFormat.of().formatHex(block), torrent.next());
    }

    @Test
    void pauseReadingIsHonoured() throws Exception {
        EmbeddedChannel ch = incoming();
        ch.writeInbound(Unpooled.wrappedBuffer(handshake(HASH)));
        PeerConnection c = torrent.connection();
        c.pauseReading();
        assertFalse(ch.config().isAutoRead());
        c.resumeReading();
        assertTrue(ch.config().isAutoRead());
    }

    @Test
    void aFileBlockTellsItsSenderOnceSentOrDropped(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("data"), new byte[32768]);
        try (FileChannel fc = FileChannel.open(file)) {
            EmbeddedChannel ch = incoming();
            ch.writeInbound(Unpooled.wrappedBuffer(handshake(HASH)));
            PeerConnection c = torrent.connection();
            AtomicInteger done = new AtomicInteger();
            c.piece(1, 0, fc, 16384, 16384, done::incrementAndGet);
            assertEquals(0, done.get(), "queued, not sent: the file must stay");
            Object written;
            while ((written = ch.readOutbound()) != null) {
                ReferenceCountUtil.release(written); // as the socket does once the bytes left
            }
            assertEquals(1, done.get());
            ch.close();
            c.piece(1, 0, fc, 16384, 16384, done::incrementAndGet);
            ch.runPendingTasks();
            assertEquals(2, done.get(), "a send dropped by a closed connection lets the file go too");
        }
    }
}
