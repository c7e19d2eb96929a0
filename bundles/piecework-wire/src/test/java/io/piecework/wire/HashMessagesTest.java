package io.piecework.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * BEP 52 hash messages against bytes libtorrent 2.0.8 sent: libtorrent-hash-messages.txt holds four
 * hash requests a raw socket sent to a python3-libtorrent seed of a v2 torrent on loopback, and
 * libtorrent's four {@code hashes} answers.
 */
class HashMessagesTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] ROOT = HEX.parseHex("04a3efb8ed1f2c876733bca6ae9b31194366da58ee16167df6b8e190dc987ec7");

    static List<byte[]> libtorrent() throws IOException {
        try (InputStream in = HashMessagesTest.class.getResourceAsStream("libtorrent-hash-messages.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank()).map(HEX::parseHex).toList();
        }
    }

    private static Recorder decode(byte[] wire) throws WireException {
        Recorder events = new Recorder();
        PeerDecoder decoder = new PeerDecoder(events, WireLimits.DEFAULT, RoaringBitmap::new, false);
        for (byte b : wire) { // one byte at a time: the hardest split
            decoder.feed(ByteBuffer.wrap(new byte[] {b}));
        }
        return events;
    }

    @Test
    void ourRequestsAreTheBytesLibtorrentAnswered() throws Exception {
        List<byte[]> wire = libtorrent();
        HashRequest[] sent = {new HashRequest(ROOT, 1, 0, 8, 2), new HashRequest(ROOT, 0, 2, 2, 3),
                new HashRequest(ROOT, 1, 0, 8, 0), new HashRequest(ROOT, 0, 0, 16, 3)};
        for (int i = 0; i < sent.length; i++) {
            ByteBuffer out = ByteBuffer.allocate(HashMessages.REQUEST_LENGTH);
            HashMessages.hashRequest(out, sent[i]);
            assertEquals(HEX.formatHex(wire.get(i)), HEX.formatHex(out.array()));
            assertEquals(List.of(sent[i]), decode(wire.get(i)).values);
        }
    }

    @Test
    void libtorrentsHashesDecodeWithTheirUncles() throws Exception {
        List<byte[]> wire = libtorrent();
        int[] counts = {8, 2 + 3, 8, 16};
        for (int i = 0; i < 4; i++) {
            Recorder events = decode(wire.get(4 + i));
            HashesMessage m = (HashesMessage) events.values.get(0);
            assertEquals(decode(wire.get(i)).values.get(0), m.request(), "answers request " + i);
            assertEquals(counts[i], m.hashes().length / 32);
            ByteBuffer out = ByteBuffer.allocate(HashMessages.hashesLength(m));
            HashMessages.hashes(out, m);
            assertArrayEquals(wire.get(4 + i), out.array(), "re-encodes to libtorrent's bytes");
        }
        HashesMessage withUncles = (HashesMessage) decode(wire.get(5)).values.get(0);
        assertEquals(3, withUncles.request().uncleCount());
        assertEquals("fe18e6313fa07dfd29e3bb3386b9d82a3f29ff28d2deb702d316eb550ae397da",
                HEX.formatHex(withUncles.hash(2)), "the first uncle follows the two base hashes");
    }

    @Test
    void hashRejectHasTheRequestsPayload() throws Exception {
        HashRequest r = new HashRequest(ROOT, 0, 4, 4, 1);
        ByteBuffer out = ByteBuffer.allocate(HashMessages.REQUEST_LENGTH);
        HashMessages.hashReject(out, r);
        assertEquals("0000003117" + HEX.formatHex(ROOT) + "00000000" + "00000004" + "00000004" + "00000001",
                HEX.formatHex(out.array()));
        assertEquals(List.of("reject " + r), decode(out.array()).events);
    }

    @Test
    void uncleCountOmitsTheLayersTheBaseHashesFill() {
        assertEquals(3, new HashRequest(ROOT, 0, 0, 2, 3).uncleCount());
        assertEquals(2, new HashRequest(ROOT, 0, 0, 4, 3).uncleCount());
        assertEquals(0, new HashRequest(ROOT, 1, 0, 8, 2).uncleCount());
        assertEquals(0, new HashRequest(ROOT, 0, 0, 512, 0).uncleCount());
    }

    private static byte[] request(int id, int base, int index, int length, int proof) {
        return ByteBuffer.allocate(HashMessages.REQUEST_LENGTH).putInt(49).put((byte) id).put(ROOT).putInt(base)
                .putInt(index).putInt(length).putInt(proof).array();
    }

    private static String violation(byte[] wire) {
        return assertThrows(WireException.class, () -> decode(wire)).getMessage();
    }

    @Test
    void rejectsRequestFieldsBep52Forbids() {
        assertTrue(violation(request(21, 0, 0, 3, 0)).contains("length 3 is not a power of two"));
        assertTrue(violation(request(21, 0, 0, 1, 0)).contains("length 1 is not a power of two"));
        assertTrue(violation(request(23, 0, 0, 0, 0)).contains("length 0"));
        assertTrue(violation(request(21, 0, 0, 0x80000000, 0)).contains("length 2147483648"));
        assertTrue(violation(request(21, 0, 2, 4, 0)).contains("index 2 is not a multiple of its length 4"));
        assertTrue(violation(request(21, 0, -4, 4, 0)).contains("index 4294967292"));
        assertTrue(violation(request(21, -1, 0, 2, 0)).contains("base layer 4294967295"));
        assertTrue(violation(request(21, 50, 0, 2, 0)).contains("base layer 50"));
        assertTrue(violation(request(21, 0, 0, 2, 0x7fffffff)).contains("proof layers 2147483647"));
    }

    @Test
    void requestOfAnotherSizeIsAViolation() {
        byte[] longer = Arrays.copyOf(request(21, 0, 0, 2, 0), 54);
        longer[3] = 50;
        assertTrue(violation(longer).contains("hash request message has a payload of 49 bytes"));
    }

    /** A huge length with a big proof count must not size anything: the count is checked against what arrived. */
    @Test
    void hashesWhoseCountDoesNotMatchTheirHeaderAreAViolation() {
        ByteBuffer m = ByteBuffer.allocate(5 + 48 + 4 * 32).putInt(1 + 48 + 4 * 32).put((byte) 22).put(ROOT)
                .putInt(0).putInt(0).putInt(1 << 30).putInt(49);
        assertTrue(violation(m.array()).contains("carries 4 hashes, but length 1073741824 and proof layers 49 need"));
        ByteBuffer ragged = ByteBuffer.allocate(5 + 48 + 33).putInt(1 + 48 + 33).put((byte) 22).put(ROOT).putInt(0)
                .putInt(0).putInt(2).putInt(0);
        assertTrue(violation(ragged.array()).contains("plus 32 per hash"));
    }

    @Test
    void hashesOverTheMessageCapFailBeforeTheirBytesAreBuffered() {
        WireLimits tight = new WireLimits(64, 16);
        PeerDecoder decoder = new PeerDecoder(new Recorder(), tight, RoaringBitmap::new, false);
        ByteBuffer head = ByteBuffer.allocate(5).putInt(1 + 48 + 64 * 32).put((byte) 22).flip();
        // The prefix itself is over the cap here; the check that matters is the same for any prefix.
        assertThrows(WireException.class, () -> decoder.feed(head));
        assertEquals(0, decoder.bufferedCapacity());
    }
}
