package io.piecework.api.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UntrustedTest {
    @Test
    void ordinaryTextOfEveryScriptPassesUnchanged() {
        String s = "Ünïcödé файл 文件 ملف (1).tar.gz \\ ~ 😀";
        assertSame(s, Untrusted.text(s));
    }

    @Test
    void c0DelAndC1ControlsAreEscaped() {
        assertEquals("a\\u001b[2Jb\\u000d\\u000ac\\u0000", Untrusted.text("a\u001b[2Jb\r\nc\u0000"));
        assertEquals("x\\u007fy\\u009b31mz\\u0085", Untrusted.text("x\u007fy\u009b31mz\u0085"));
    }

    @Test
    void bidirectionalOverridesAndSeparatorsAreEscaped() {
        assertEquals("evil\\u202etxt.exe", Untrusted.text("evil\u202etxt.exe"));
        for (int cp : new int[] {0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
                0x2066, 0x2067, 0x2068, 0x2069, 0x2028, 0x2029}) {
            assertEquals(String.format("\\u%04x", cp), Untrusted.text(new String(Character.toChars(cp))));
        }
    }

    @Test
    void aLoneSurrogateIsEscapedButAPairIsKept() {
        assertEquals("a\\ud800b", Untrusted.text("a\ud800b"));
        assertEquals("😀", Untrusted.text("\ud83d\ude00"));
    }

    @Test
    void theBoundaryCharactersAreNotControls() {
        for (int cp : new int[] {0x20, 0x7e, 0xa0, 0x061b, 0x200d, 0x2027, 0x2065, 0x206a}) {
            assertFalse(Untrusted.isControl(cp), Integer.toHexString(cp));
        }
        assertTrue(Untrusted.isControl(0x7f));
        assertTrue(Untrusted.isControl(0x9f));
    }

    @Test
    void longTextIsCutWithAnEllipsisAndNullIsShownAsNull() {
        assertEquals("abc...", Untrusted.text("abcdef", 3));
        assertEquals("abc", Untrusted.text("abc", 3));
        assertEquals("null", Untrusted.text(null));
    }
}
