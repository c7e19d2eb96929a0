package io.piecework.bencode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Error messages end up on terminals and in logs: the input's bytes in them are escaped. */
class BencodeErrorTextTest {
    private static String error(String document) {
        byte[] bytes = document.getBytes(StandardCharsets.ISO_8859_1);
        return assertThrows(BencodeException.class, () -> Bencode.decode(bytes)).getMessage();
    }

    @Test
    void aDuplicateKeyIsShownWithItsControlsEscaped() {
        String m = error("d5:a\u001b[2Ji1e5:a\u001b[2Ji1ee");
        assertEquals("at byte 11: duplicate dictionary key 'a\\u001b[2J'", m);
    }

    @Test
    void unsortedKeysAreShownEscapedIncludingC1Bytes() {
        String m = error("d2:b\u009bi1e2:a\u0085i1ee");
        assertTrue(m.endsWith("dictionary key 'a\\u0085' is not sorted after 'b\\u009b'"), m);
    }

    @Test
    void aKeyWithoutAValueIsShownEscapedAndCut() {
        String m = error("d100:" + "\u001b".repeat(100));
        assertTrue(m.contains("expected a value for key '" + "\\u001b".repeat(80) + "...'"), m);
    }
}
