package io.piecework.bencode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of the decoder (docs/fuzzing.md). Without JAZZER_FUZZ this replays the
 * inputs in BencodeFuzzTestInputs/ as ordinary tests.
 *
 * <p>Contract: hostile bytes give a value or a {@link BencodeException}, nothing else. Strict
 * bencode is canonical, so whatever decodes re-encodes to exactly the input bytes.
 */
class BencodeFuzzTest {
    /** Tight bounds, so the fuzzer reaches every limit check with small inputs. */
    private static final BencodeLimits TIGHT = new BencodeLimits(4, 64, 4096, 64);

    @DictionaryEntries({"i", "e", "l", "d", ":", "-", "0:", "i0e", "i-1e", "le", "de", "9223372036854775807"})
    @FuzzTest(maxDuration = "10m")
    void decode(byte[] input) {
        checkDecodeFirst(input);
        BValue value = decodeOrNull(input, BencodeLimits.DEFAULT);
        BValue tight = decodeOrNull(input, TIGHT);
        if (tight != null) {
            assertEquals(tight, value, "tight limits accepted what the default limits refused");
        }
        if (value == null) {
            return;
        }
        assertArrayEquals(input, Bencode.encode(value), "decode then encode is not the identity");
        assertEquals(0, value.start());
        assertEquals(input.length, value.end());
        assertEquals(ByteBuffer.wrap(input), value.raw());
    }

    /** decodeFirst reads one value off the front (BEP 9 pieces carry raw bytes after it). */
    private static void checkDecodeFirst(byte[] input) {
        ByteBuffer buffer = ByteBuffer.wrap(input);
        BValue first;
        try {
            first = Bencode.decodeFirst(buffer, BencodeLimits.DEFAULT);
        } catch (BencodeException e) {
            return;
        }
        assertTrue(first.end() > 0 && first.end() <= input.length, "end out of range: " + first.end());
        byte[] prefix = Arrays.copyOf(input, first.end());
        assertArrayEquals(prefix, Bencode.encode(first), "the first value does not re-encode to its bytes");
        assertEquals(0, buffer.position(), "decodeFirst moved the caller's buffer");
    }

    private static BValue decodeOrNull(byte[] input, BencodeLimits limits) {
        try {
            return Bencode.decode(input, limits);
        } catch (BencodeException e) {
            assertTrue(e.offset() >= 0 && e.offset() <= input.length, "offset out of range: " + e.offset());
            return null;
        }
    }
}
