package io.piecework.bencode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BencodeEncodeTest {
    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void encodesPlainJavaValuesWithSortedKeys() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zeta", 1L);
        m.put("alpha", List.of("x", 2, new byte[] {'y'}));
        assertEquals("d5:alphal1:xi2e1:ye4:zetai1ee", ascii(Bencode.encodeObject(m)));
    }

    @Test
    void roundTripsCanonicalDocumentsByteForByte() throws Exception {
        String doc = "d1:ad1:bi-3e1:cle1:dli0eee1:e0:e";
        assertEquals(doc, ascii(Bencode.encode(Bencode.decode(doc.getBytes(StandardCharsets.ISO_8859_1)))));
    }

    @Test
    void sortsKeysOfDictionariesBuiltInCode() {
        BDictionary d = BDictionary.of(Map.of("b", BInteger.of(1), "a", BString.of("x")));
        assertEquals("d1:a1:x1:bi1ee", ascii(Bencode.encode(d)));
        assertEquals("d1:a1:x1:bi1ee", ascii(toBytes(d)), "raw() of a built value is its canonical encoding");
    }

    private static byte[] toBytes(BValue v) {
        var raw = v.raw();
        byte[] out = new byte[raw.remaining()];
        raw.get(out);
        return out;
    }

    @Test
    void refusesValuesBencodeCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> Bencode.encodeObject(1.5));
        assertThrows(IllegalArgumentException.class, () -> Bencode.encodeObject(Map.of(1, 2)));
    }

    @Test
    void survivesRandomGarbageWithOnlyBencodeExceptions() {
        Random random = new Random(42);
        byte[] alphabet = "ilde0123456789:-x".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 20_000; i++) {
            byte[] input = new byte[random.nextInt(40)];
            for (int j = 0; j < input.length; j++) {
                input[j] = alphabet[random.nextInt(alphabet.length)];
            }
            try {
                BValue v = Bencode.decode(input);
                assertArrayEquals(input, Bencode.encode(v), "anything accepted is canonical");
            } catch (BencodeException expected) {
                // the only failure allowed
            }
        }
    }
}
