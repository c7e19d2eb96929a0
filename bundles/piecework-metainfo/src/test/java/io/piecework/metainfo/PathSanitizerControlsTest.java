package io.piecework.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piecework.api.metainfo.InvalidTorrentException;
import org.junit.jupiter.api.Test;

/** Names on disk carry no character a terminal or a file listing would act on. */
class PathSanitizerControlsTest {
    private static String clean(String raw) throws InvalidTorrentException {
        return PathSanitizer.component(raw, "f");
    }

    @Test
    void bidirectionalOverridesBecomeUnderscoresSoANameCannotReadBackwards() throws Exception {
        assertEquals("evil_gpj.exe", clean("evil\u202egpj.exe"));
        assertEquals("a_b_c_d", clean("a\u2066b\u200fc\u061cd"));
    }

    @Test
    void c1ControlsAndLineSeparatorsBecomeUnderscores() throws Exception {
        assertEquals("a_31mb_c", clean("a\u009b31mb\u2028c"));
        assertEquals("x_y", clean("x\u0085y"));
    }

    @Test
    void lettersOfOtherScriptsAndEmojiAreKept() throws Exception {
        assertEquals("файл 文件 😀", clean("файл 文件 😀"));
    }

    @Test
    void anErrorShowsTheHostileNameEscaped() {
        InvalidTorrentException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidTorrentException.class,
                () -> clean("a\u001b]0;pwned\u0007/b"));
        assertEquals("f: path component contains a path separator '/': a\\u001b]0;pwned\\u0007/b", e.getMessage());
    }
}
