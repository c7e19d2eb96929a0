package io.piecework.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * Coverage-guided fuzzing of what a peer can send (docs/fuzzing.md). Without JAZZER_FUZZ this
 * replays WireFuzzTestInputs/ as ordinary tests.
 *
 * <p>Input layout, so seeds are easy to write by hand: byte 0 picks the target (0 the
 * {@link PeerDecoder} stream, 1 an extended handshake, 2 a ut_pex payload, 3 a ut_metadata
 * payload); for the stream, byte 1 holds decoder settings and byte 2 seeds the chunking, and
 * the rest is what the peer sent. Contract: listener calls or a {@link WireException}, nothing
 * else; the same bytes give the same calls however the network splits them; what decodes
 * re-encodes to an equal message.
 */
class WireFuzzTest {
    private static final WireLimits TIGHT = new WireLimits(64, 32);
    private static final Supplier<RoaringBitmap> BITMAPS = RoaringBitmap::new;

    @DictionaryEntries({"\u0013BitTorrent protocol", "d1:md11:ut_metadatai2e6:ut_pexi1ee", "8:msg_typei",
            "5:piecei", "10:total_sizei", "5:added", "7:added.f", "6:added6", "8:added6.f", "7:dropped", "8:dropped6",
            "13:metadata_sizei", "4:reqqi", "6:yourip"})
    @FuzzTest(maxDuration = "10m")
    void peerSends(byte[] input) {
        if (input.length < 3) {
            return;
        }
        ByteBuffer rest = ByteBuffer.wrap(input, 1, input.length - 1).slice();
        switch (input[0] & 3) {
            case 0 -> stream(input[1], input[2], Arrays.copyOfRange(input, 3, input.length));
            case 1 -> extendedHandshake(rest);
            case 2 -> pex(rest);
            default -> metadata(rest);
        }
    }

    /** The session seed must get through every message kind, or the fuzzer starts from a refusal. */
    @Test
    void sessionSeedDecodesToTheEnd() throws IOException {
        byte[] seed;
        try (InputStream in = WireFuzzTest.class.getResourceAsStream("WireFuzzTestInputs/peerSends/stream-session")) {
            seed = in.readAllBytes();
        }
        Recorder events = new Recorder();
        assertNull(feed(decoder(events, seed[1]), Arrays.copyOfRange(seed, 3, seed.length), null));
        assertTrue(events.events.stream().anyMatch(e -> e.startsWith("pex ")), events.events.toString());
        assertEquals("keep-alive", events.events.get(events.events.size() - 1));
    }

    /** Whole in one read, then split at random points: both decoders must tell the same story. */
    private static void stream(int settings, int chunkSeed, byte[] bytes) {
        Recorder whole = new Recorder();
        String wholeFailure = feed(decoder(whole, settings), bytes, null);
        Recorder split = new Recorder();
        String splitFailure = feed(decoder(split, settings), bytes, new Random(chunkSeed));
        assertEquals(whole.events, split.events, "events depend on how the bytes were split");
        assertEquals(wholeFailure, splitFailure, "failure depends on how the bytes were split");
        for (Object v : whole.values) {
            reencodes(v);
        }
    }

    /** BEP 52 hash messages: what decoded encodes back to bytes that decode to the same message. */
    private static void reencodes(Object value) {
        ByteBuffer out;
        if (value instanceof HashesMessage m) {
            HashMessages.hashes(out = ByteBuffer.allocate(HashMessages.hashesLength(m)), m);
        } else if (value instanceof HashRequest r) {
            HashMessages.hashRequest(out = ByteBuffer.allocate(HashMessages.REQUEST_LENGTH), r);
        } else {
            return;
        }
        Recorder again = new Recorder();
        assertNull(feed(decoder(again, 0), out.array(), null), "our own encoding does not decode");
        assertEquals(value, again.values.get(0));
    }

    private static PeerDecoder decoder(Recorder listener, int settings) {
        PeerDecoder decoder = new PeerDecoder(listener, (settings & 4) != 0 ? TIGHT : WireLimits.DEFAULT, BITMAPS,
                (settings & 1) != 0);
        decoder.fastExtension((settings & 2) != 0);
        int pieces = (settings >>> 4) & 15;
        decoder.pieceCount(pieces == 0 ? -1 : pieces * 7);
        return decoder;
    }

    /** Feeds everything (in random chunks of 1-64 bytes if {@code chunks} is given); returns the failure. */
    private static String feed(PeerDecoder decoder, byte[] bytes, Random chunks) {
        int at = 0;
        try {
            while (at < bytes.length && !decoder.failed()) {
                int n = chunks == null ? bytes.length : Math.min(bytes.length - at, 1 + chunks.nextInt(64));
                ByteBuffer read = ByteBuffer.wrap(bytes, at, n);
                decoder.feed(read);
                assertEquals(0, read.remaining(), "feed left bytes unread");
                at += n;
            }
        } catch (WireException e) {
            assertEquals(e.getMessage(), decoder.failure());
            return e.getMessage();
        }
        return null;
    }

    private static void extendedHandshake(ByteBuffer payload) {
        ExtendedHandshake h;
        try {
            h = ExtendedHandshake.decode(payload);
        } catch (WireException e) {
            return;
        }
        // Dictionary keys come back as Latin-1 but encode() writes String keys as UTF-8, so only
        // ASCII extension names survive a round trip; we never re-encode a peer's handshake.
        if (h.m().keySet().stream().allMatch(k -> k.chars().allMatch(c -> c < 0x80))) {
            assertEquals(h, decodeOwn(h.encode(), ExtendedHandshake::decode));
        }
    }

    private static void pex(ByteBuffer payload) {
        PexMessage m;
        try {
            m = PexMessage.decode(payload);
        } catch (WireException e) {
            return;
        }
        PexMessage again = decodeOwn(m.encode(), PexMessage::decode);
        assertEquals(m.added(), again.added());
        assertEquals(m.dropped(), again.dropped());
        assertEquals(m.added6(), again.added6());
        assertEquals(m.dropped6(), again.dropped6());
        assertEquals(ByteBuffer.wrap(m.addedFlags()), ByteBuffer.wrap(again.addedFlags()));
    }

    private static void metadata(ByteBuffer payload) {
        MetadataMessage m;
        try {
            m = MetadataMessage.decode(payload);
        } catch (WireException e) {
            return;
        }
        assertEquals(m, decodeOwn(m.encode(), MetadataMessage::decode));
    }

    private interface Decoder<T> {
        T decode(ByteBuffer payload) throws WireException;
    }

    private static <T> T decodeOwn(byte[] encoded, Decoder<T> decoder) {
        try {
            return decoder.decode(ByteBuffer.wrap(encoded));
        } catch (WireException e) {
            throw new AssertionError("our own encoding does not decode", e);
        }
    }
}
