package io.piecework.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InfoHash;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.roaringbitmap.RoaringBitmap;

class PeerDecoderTest {
    private static final HexFormat HEX = HexFormat.of();

    /** Each message: how the encoder writes it, the exact bytes on the wire, what the decoder reports. */
    static Stream<Arguments> vectors() throws Exception {
        RoaringBitmap bits = RoaringBitmap.bitmapOf(0, 2, 9);
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("10.0.0.1"), 6881);
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 51413);
        PexMessage pex = new PexMessage(List.of(v4), new byte[] {0x12}, List.of(), List.of(v6), new byte[] {0x02},
                List.of());
        byte[] pexBytes = pex.encode();
        byte[] meta = MetadataMessage.data(1, 20000, ByteBuffer.wrap(new byte[] {1, 2, 3})).encode();
        return Stream.of(
                vector("keep-alive", WireEncoder::keepAlive, "00000000", "keep-alive"),
                vector("choke", WireEncoder::choke, "0000000100", "choke"),
                vector("unchoke", WireEncoder::unchoke, "0000000101", "unchoke"),
                vector("interested", WireEncoder::interested, "0000000102", "interested"),
                vector("not interested", WireEncoder::notInterested, "0000000103", "not interested"),
                vector("have", o -> WireEncoder.have(o, 9), "000000050400000009", "have 9"),
                vector("bitfield", o -> WireEncoder.bitfield(o, bits, 10), "0000000305a040", "bitfield {0,2,9}"),
                vector("request", o -> WireEncoder.request(o, 1, 16384, 16384),
                        "0000000d06000000010000400000004000", "request 1 16384 16384"),
                vector("piece", o -> WireEncoder.piece(o, 2, 32, ByteBuffer.wrap(new byte[] {9, 8, 7})),
                        "0000000c07000000020000002009080" + "7", "piece 2 32 090807"),
                vector("cancel", o -> WireEncoder.cancel(o, 1, 0, 100), "0000000d08000000010000000000000064",
                        "cancel 1 0 100"),
                vector("port", o -> WireEncoder.port(o, 6881), "00000003091ae1", "port 6881"),
                vector("suggest", o -> WireEncoder.suggestPiece(o, 7), "000000050d00000007", "suggest 7"),
                vector("have all", WireEncoder::haveAll, "000000010e", "have all"),
                vector("have none", WireEncoder::haveNone, "000000010f", "have none"),
                vector("reject", o -> WireEncoder.rejectRequest(o, 3, 16384, 16384),
                        "0000000d10000000030000400000004000", "reject 3 16384 16384"),
                vector("allowed fast", o -> WireEncoder.allowedFast(o, 8), "000000051100000008", "allowed fast 8"),
                vector("extended handshake", o -> WireEncoder.extended(o, 0,
                                "d1:md11:ut_metadatai2e6:ut_pexi1eee".getBytes(StandardCharsets.US_ASCII)),
                        "00000025140064313a6d6431313a75745f6d657461646174616932653" + "6"
                                + "3a75745f70657869316565" + "65",
                        "extended handshake {ut_metadata=2, ut_pex=1}"),
                vector("ut_metadata request", o -> WireEncoder.extended(o, 2, MetadataMessage.request(0).encode()),
                        "0000001b140264383a6d73675f7479706569306535" + "3a706965636569306565",
                        "metadata 0 0 -1 "),
                vector("ut_metadata data", o -> WireEncoder.extended(o, 2, meta),
                        HEX.formatHex(frame(2, meta)), "metadata 1 1 20000 010203"),
                vector("ut_pex", o -> WireEncoder.extended(o, 1, pexBytes), HEX.formatHex(frame(1, pexBytes)),
                        "pex [/10.0.0.1:6881] 12 [] [/[0:0:0:0:0:0:0:1]:51413] 02 []"),
                vector("unknown extension", o -> WireEncoder.extended(o, 9, new byte[] {(byte) 0xab}),
                        "0000000314" + "09ab", "extended 9 ab"));
    }

    private static Arguments vector(String name, Consumer<ByteBuffer> encode, String hex, String event) {
        return Arguments.of(name, encode, hex, event);
    }

    private static byte[] frame(int ext, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(WireEncoder.extendedLength(payload.length));
        b.putInt(2 + payload.length).put((byte) 20).put((byte) ext).put(payload);
        return b.array();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void encodesTheExactBytes(String name, Consumer<ByteBuffer> encode, String hex, String event) {
        ByteBuffer out = ByteBuffer.allocate(256);
        encode.accept(out);
        assertEquals(hex, HEX.formatHex(out.array(), 0, out.position()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesWholeAndOneByteAtATime(String name, Consumer<ByteBuffer> encode, String hex, String event)
            throws WireException {
        byte[] bytes = HEX.parseHex(hex);
        assertEquals(List.of(event), decodeWhole(bytes).events);

        Recorder r = new Recorder();
        PeerDecoder d = decoder(r, 10);
        for (int i = 0; i < bytes.length; i++) {
            assertTrue(r.events.isEmpty(), "no message before its last byte, got one at byte " + i);
            d.feed(ByteBuffer.wrap(bytes, i, 1));
        }
        assertEquals(List.of(event), r.events);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesEverySplitAndBackToBackCopies(String name, Consumer<ByteBuffer> encode, String hex, String event)
            throws WireException {
        byte[] one = HEX.parseHex(hex);
        byte[] three = new byte[one.length * 3];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(one, 0, three, i * one.length, one.length);
        }
        for (int split = 0; split <= three.length; split++) {
            Recorder r = new Recorder();
            PeerDecoder d = decoder(r, 10);
            d.feed(ByteBuffer.wrap(three, 0, split));
            d.feed(ByteBuffer.wrap(three, split, three.length - split));
            assertEquals(List.of(event, event, event), r.events, "split at " + split);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void truncatedMessageYieldsNothing(String name, Consumer<ByteBuffer> encode, String hex, String event)
            throws WireException {
        byte[] bytes = HEX.parseHex(hex);
        Recorder r = new Recorder();
        decoder(r, 10).feed(ByteBuffer.wrap(bytes, 0, bytes.length - 1));
        assertEquals(List.of(), r.events);
    }

    @Test
    void decodesHandshakeWithExtensionBits() throws WireException {
        InfoHash ih = InfoHash.parse("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        PeerId id = PeerId.of("-PW0001-abcdefghijkl".getBytes(StandardCharsets.US_ASCII));
        Handshake h = new Handshake(Handshake.ourReserved(true), ih, id);
        ByteBuffer out = ByteBuffer.allocate(Handshake.LENGTH + 5);
        WireEncoder.handshake(out, h);
        WireEncoder.interested(out);
        assertEquals("13426974546f7272656e742070726f746f636f6c0000000000100005"
                + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "2d5057303030312d6162636465666768696a6b6c"
                + "0000000102", HEX.formatHex(out.array()));

        Recorder r = new Recorder();
        PeerDecoder d = new PeerDecoder(r, WireLimits.DEFAULT, RoaringBitmap::new, true);
        for (byte b : out.array()) {
            d.feed(ByteBuffer.wrap(new byte[] {b}));
        }
        assertEquals(2, r.events.size());
        Handshake got = (Handshake) r.values.get(0);
        assertEquals(h, got);
        assertTrue(got.supportsExtensions() && got.supportsFast() && got.supportsDht());
        assertEquals("interested", r.events.get(1));
    }

    @Test
    void rejectsHandshakeWithAnotherProtocol() {
        byte[] bytes = new byte[Handshake.LENGTH];
        bytes[0] = 19;
        System.arraycopy("BitTorrent protocoX".getBytes(StandardCharsets.US_ASCII), 0, bytes, 1, 19);
        WireException e = assertThrows(WireException.class,
                () -> new PeerDecoder(new Recorder(), WireLimits.DEFAULT, RoaringBitmap::new, true)
                        .feed(ByteBuffer.wrap(bytes)));
        assertTrue(e.getMessage().contains("BitTorrent protocol"), e.getMessage());
    }

    @Test
    void bitfieldComesFromTheSuppliedBitmap() throws WireException {
        RoaringBitmap pooled = RoaringBitmap.bitmapOf(500); // stale content must be cleared
        Recorder r = new Recorder();
        PeerDecoder d = new PeerDecoder(r, WireLimits.DEFAULT, () -> pooled, false);
        d.pieceCount(20);
        d.feed(ByteBuffer.wrap(HEX.parseHex("0000000405fffff0")));
        assertSame(pooled, r.values.get(0));
        RoaringBitmap expected = new RoaringBitmap();
        expected.add(0L, 20L);
        assertEquals(expected, pooled);
    }

    @Test
    void bitfieldRoundTripsArbitrarySets() throws WireException {
        RoaringBitmap bits = new RoaringBitmap();
        java.util.Random random = new java.util.Random(6);
        for (int i = 0; i < 1000; i++) {
            if (random.nextInt(3) > 0) {
                bits.add(i);
            }
        }
        bits.add(990L, 1003L);
        ByteBuffer out = ByteBuffer.allocate(WireEncoder.bitfieldLength(1003));
        WireEncoder.bitfield(out, bits, 1003);
        Recorder r = new Recorder();
        PeerDecoder d = new PeerDecoder(r, WireLimits.DEFAULT, RoaringBitmap::new, false);
        d.pieceCount(1003);
        d.feed(out.flip());
        assertEquals(bits, r.values.get(0));

        Recorder bytewise = new Recorder();
        PeerDecoder d2 = new PeerDecoder(bytewise, WireLimits.DEFAULT, RoaringBitmap::new, false);
        d2.pieceCount(1003);
        for (int i = 0; i < out.limit(); i++) {
            d2.feed(ByteBuffer.wrap(out.array(), i, 1)); // grows the pending buffer past its first size
        }
        assertEquals(bits, bytewise.values.get(0));
    }

    @Test
    void blockGoesToTheListenersDestination() throws WireException {
        byte[] block = new byte[16384];
        new java.util.Random(1).nextBytes(block);
        ByteBuffer out = ByteBuffer.allocate(WireEncoder.PIECE_HEADER_LENGTH + block.length);
        WireEncoder.piece(out, 4, 16384, ByteBuffer.wrap(block));
        ByteBuffer[] got = new ByteBuffer[1];
        ByteBuffer dest = ByteBuffer.allocate(20000).position(7);
        PeerDecoder d = new PeerDecoder(new PeerMessageListener() {
            @Override
            public ByteBuffer pieceDestination(int piece, int begin, int length) {
                return dest;
            }

            @Override
            public void onPiece(int piece, int begin, ByteBuffer b) {
                got[0] = b;
            }
        }, WireLimits.DEFAULT, RoaringBitmap::new, false);
        byte[] wire = out.array();
        // Three reads that split header and block.
        d.feed(ByteBuffer.wrap(wire, 0, 6));
        d.feed(ByteBuffer.wrap(wire, 6, 5000));
        d.feed(ByteBuffer.wrap(wire, 5006, wire.length - 5006));
        assertSame(dest, got[0]);
        assertEquals(7, dest.position());
        assertEquals(7 + 16384, dest.limit());
        byte[] copy = new byte[16384];
        dest.get(copy);
        assertArrayEquals(block, copy);
    }

    @Test
    void extendedHandshakeFieldsAreParsed() throws WireException {
        byte[] payload = ("d1:md11:ut_metadatai3e6:ut_pexi1ee13:metadata_sizei31235e1:pi6881e4:reqqi500e"
                + "1:v14:libtorrent 2.06:yourip4:\u007f\u0000\u0000\u0001e").getBytes(StandardCharsets.ISO_8859_1);
        ExtendedHandshake h = ExtendedHandshake.decode(ByteBuffer.wrap(payload));
        assertEquals(Map.of("ut_metadata", 3, "ut_pex", 1), h.m());
        assertEquals(3, h.idOf("ut_metadata"));
        assertEquals(0, h.idOf("lt_donthave"));
        assertEquals(6881, h.p());
        assertEquals(500, h.reqq());
        assertEquals(31235, h.metadataSize());
        assertEquals("libtorrent 2.0", h.v());
        assertArrayEquals(new byte[] {127, 0, 0, 1}, h.yourip());
        assertEquals(h, ExtendedHandshake.decode(ByteBuffer.wrap(h.encode())));
    }

    @Test
    void keepsDecodingAfterSkippingUnknownMessages() throws WireException {
        Recorder r = new Recorder();
        decoder(r, 10).feed(ByteBuffer.wrap(HEX.parseHex("0000000463aabbcc" + "0000000102" + "0000000140")));
        assertEquals(List.of("unknown 99 3", "interested", "unknown 64 0"), r.events);
    }

    private static Recorder decodeWhole(byte[] bytes) throws WireException {
        Recorder r = new Recorder();
        decoder(r, 10).feed(ByteBuffer.wrap(bytes));
        return r;
    }

    static PeerDecoder decoder(Recorder r, int pieces) {
        PeerDecoder d = new PeerDecoder(r, WireLimits.DEFAULT, RoaringBitmap::new, false);
        d.pieceCount(pieces);
        return d;
    }
}
