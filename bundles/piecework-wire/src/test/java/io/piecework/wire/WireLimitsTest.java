package io.piecework.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/** Every limit closes the connection with a reason that names it; nothing before it is lost. */
class WireLimitsTest {
    private static final HexFormat HEX = HexFormat.of();

    private static WireException violation(int pieces, String hex) {
        Recorder r = new Recorder();
        PeerDecoder d = PeerDecoderTest.decoder(r, pieces);
        WireException e = assertThrows(WireException.class, () -> d.feed(ByteBuffer.wrap(HEX.parseHex(hex))));
        assertTrue(d.failed());
        assertEquals(e.getMessage(), d.failure());
        return e;
    }

    private static void assertReason(String expected, WireException e) {
        assertTrue(e.getMessage().contains(expected), "reason '" + e.getMessage() + "' should say '" + expected + "'");
    }

    @Test
    void rejects4GiBLengthPrefix() {
        assertReason("length prefix 4294967295 exceeds the limit of 1048576", violation(10, "ffffffff"));
    }

    @Test
    void rejectsLengthPrefixJustOverTheLimit() {
        assertReason("length prefix 1048577 exceeds", violation(10, "00100001"));
    }

    @Test
    void rejectsExtendedMessageOverItsConfiguredBound() {
        Recorder r = new Recorder();
        PeerDecoder d = new PeerDecoder(r, new WireLimits(1000, WireLimits.BLOCK_LENGTH), RoaringBitmap::new, false);
        // 1001 is under the block bound (16 KiB + 9) but over the bound for extension messages.
        WireException e = assertThrows(WireException.class,
                () -> d.feed(ByteBuffer.wrap(HEX.parseHex("000003e914"))));
        assertReason("extended message of length 1001 exceeds the limit of 1000", e);
    }

    @Test
    void rejectsBlockOverSixteenKiB() {
        // 16 KiB + 1 byte of block: length 9 + 16385 = 16394 = 0x400a
        assertReason("block of 16385 bytes; at most 16384", violation(10, "0000400a07"));
    }

    @Test
    void acceptsBlockOfExactlySixteenKiB() throws WireException {
        ByteBuffer out = ByteBuffer.allocate(WireEncoder.PIECE_HEADER_LENGTH + 16384);
        WireEncoder.piece(out, 1, 0, ByteBuffer.allocate(16384));
        Recorder r = new Recorder();
        PeerDecoderTest.decoder(r, 10).feed(out.flip());
        assertEquals(1, r.events.size());
    }

    @Test
    void rejectsRequestOverSixteenKiB() {
        assertReason("request length 16385 is not in 1..16384", violation(10, "0000000d06000000010000000000004001"));
    }

    @Test
    void rejectsRequestOfZeroBytes() {
        assertReason("request length 0", violation(10, "0000000d06000000010000000000000000"));
    }

    @Test
    void rejectsBitfieldWithSpareBitsSet() {
        // 10 pieces: 2 bytes, the last 6 bits are spare.
        assertReason("spare bits set", violation(10, "0000000305ffc1"));
    }

    @Test
    void rejectsBitfieldOfWrongLength() {
        assertReason("bitfield has 3 bytes, expected 2 for 10 pieces", violation(10, "0000000405ffc000"));
    }

    @Test
    void rejectsHaveBeyondThePieceCount() {
        assertReason("have for piece 10 out of range (10 pieces)", violation(10, "00000005040000000a"));
    }

    @Test
    void rejectsFixedSizeMessageWithWrongLength() {
        assertReason("have message has length 6, expected 5", violation(10, "0000000604000000000a"));
        assertReason("choke message has length 2, expected 1", violation(10, "000000020000"));
    }

    @Test
    void rejectsFastMessagesWhenFastExtensionIsOff() {
        Recorder r = new Recorder();
        PeerDecoder d = PeerDecoderTest.decoder(r, 10);
        d.fastExtension(false);
        WireException e = assertThrows(WireException.class, () -> d.feed(ByteBuffer.wrap(HEX.parseHex("000000010e"))));
        assertReason("have all received but the fast extension was not negotiated", e);
    }

    @Test
    void rejectsMalformedExtendedHandshake() {
        assertReason("extended handshake is not bencode", violation(10, "000000041400" + "6431"));
    }

    @Test
    void bigLengthPrefixAllocatesOnlyAsBytesArrive() throws WireException {
        // A 1 MiB extended message announced, then 10 bytes of it: a trickling peer must not pin 1 MiB.
        Recorder r = new Recorder();
        PeerDecoder d = PeerDecoderTest.decoder(r, 10);
        d.feed(ByteBuffer.wrap(HEX.parseHex("00100000" + "14")));
        for (int i = 0; i < 10; i++) {
            d.feed(ByteBuffer.wrap(new byte[] {'d'}));
        }
        assertTrue(d.bufferedCapacity() <= 1024, "buffered " + d.bufferedCapacity() + " bytes for 10 received");
        assertEquals(List.of(), r.events);
    }

    @Test
    void aConnectionWhoseMessagesArriveWholeHoldsNoBuffer() throws WireException {
        // An idle peer costs heap per connection: 20,000 of them must not each keep a buffer
        // for a straddling message that never came. Bitfield of 10 pieces, unchoke, have 3.
        Recorder r = new Recorder();
        PeerDecoder d = PeerDecoderTest.decoder(r, 10);
        d.feed(ByteBuffer.wrap(HEX.parseHex("0000000305ffc0" + "0000000101" + "000000050400000003")));
        assertEquals(3, r.events.size(), r.events.toString());
        assertEquals(0, d.bufferedCapacity(), "bytes held with nothing straddling");
        // A message split over two reads still decodes; a buffer appears only while it straddles.
        d.feed(ByteBuffer.wrap(HEX.parseHex("000000")));
        assertTrue(d.bufferedCapacity() > 0);
        d.feed(ByteBuffer.wrap(HEX.parseHex("050400000004")));
        assertEquals(4, r.events.size(), r.events.toString());
        assertEquals(0, d.bufferedCapacity(), "the buffer of a message that straddled, once it passed");
    }

    @Test
    void bigMessageStillDecodesWhenItTrickles() throws WireException {
        // The growing buffer must still deliver a large message whole, in odd splits.
        byte[] payload = new ExtendedHandshake(Map.of("ut_pex", 1), "v".repeat(200_000), 0, 0, -1, null, null, null)
                .encode();
        ByteBuffer wire = ByteBuffer.allocate(WireEncoder.extendedLength(payload.length));
        WireEncoder.extended(wire, 0, payload);
        Recorder r = new Recorder();
        PeerDecoder d = PeerDecoderTest.decoder(r, 10);
        wire.flip();
        for (int split = 1; wire.hasRemaining(); split = split * 3 % 4099 + 1) {
            int n = Math.min(split, wire.remaining());
            d.feed(wire.duplicate().limit(wire.position() + n));
            wire.position(wire.position() + n);
        }
        assertEquals(List.of("extended handshake {ut_pex=1}"), r.events);
        assertEquals(200_000, ((ExtendedHandshake) r.values.get(0)).v().length());
        assertTrue(d.bufferedCapacity() <= 64 * 1024, "a passed message's buffer is let go");
    }

    @Test
    void messagesBeforeTheViolationAreDeliveredAndNothingAfter() {
        Recorder r = new Recorder();
        PeerDecoder d = PeerDecoderTest.decoder(r, 10);
        assertThrows(WireException.class, () -> d.feed(ByteBuffer.wrap(HEX.parseHex("0000000102" + "ffffffff" + "0000000101"))));
        assertEquals(List.of("interested"), r.events);
        WireException again = assertThrows(WireException.class, () -> d.feed(ByteBuffer.wrap(HEX.parseHex("0000000101"))));
        assertReason("already failed", again);
    }

    @Test
    void randomGarbageAfterHandshakeFailsWithAReason() {
        Random random = new Random(42);
        for (int run = 0; run < 200; run++) {
            byte[] garbage = new byte[4096];
            random.nextBytes(garbage);
            Recorder r = new Recorder();
            PeerDecoder d = PeerDecoderTest.decoder(r, 10);
            WireException e = assertThrows(WireException.class, () -> d.feed(ByteBuffer.wrap(garbage)),
                    "run " + run);
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        }
    }
}
