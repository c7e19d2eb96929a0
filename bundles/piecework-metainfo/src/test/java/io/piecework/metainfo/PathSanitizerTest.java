package io.piecework.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.api.metainfo.TorrentMetainfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathSanitizerTest {
    @TempDir
    Path dir;

    private static String clean(String raw) throws InvalidTorrentException {
        return PathSanitizer.component(raw, "f");
    }

    @Test
    void ordinaryNamesPassUnchanged() throws Exception {
        assertEquals("Ünïcödé file (1).tar.gz", clean("Ünïcödé file (1).tar.gz"));
        assertEquals(".hidden", clean(".hidden"));
        assertEquals("...x", clean("...x"));
    }

    @Test
    void traversalAndSeparatorsAreRejected() {
        for (String bad : new String[] {"", ".", "..", "a/b", "/etc", "a\\b", "C:\\x", "x\0y"}) {
            InvalidTorrentException e = assertThrows(InvalidTorrentException.class, () -> clean(bad), bad);
            assertEquals("f", e.where());
        }
    }

    @Test
    void controlAndWindowsForbiddenCharactersBecomeUnderscores() throws Exception {
        assertEquals("a_b_c_d", clean("a\u0001b\nc\u007fd"));
        assertEquals("a_b_c_d_e_f_g_h", clean("a<b>c:d\"e|f?g*h"));
    }

    @Test
    void trailingDotsAndSpacesAreEscaped() throws Exception {
        assertEquals("name__", clean("name. "));
        assertEquals("___", clean("..."));
    }

    @Test
    void reservedDeviceNamesArePrefixedInAnyCaseAndWithExtensions() throws Exception {
        for (String name : new String[] {"CON", "prn", "Aux", "nul", "COM1", "com9", "LPT1", "lpt9"}) {
            assertEquals("_" + name, clean(name));
            assertEquals("_" + name + ".tar.gz", clean(name + ".tar.gz"));
        }
        assertEquals("CONSOLE", clean("CONSOLE"));
        assertEquals("COM10", clean("COM10"));
    }

    @Test
    void longNamesAreCutKeepingExtensionAndStayDistinct() throws Exception {
        String a = "a".repeat(300) + "1.mkv";
        String b = "a".repeat(300) + "2.mkv";
        String ca = clean(a);
        String cb = clean(b);
        assertEquals(255, ca.getBytes(StandardCharsets.UTF_8).length);
        assertTrue(ca.endsWith(".mkv"), ca);
        assertNotEquals(ca, cb);
        assertEquals(ca, clean(a)); // deterministic
    }

    @Test
    void longMultiByteNamesAreCutAtCharacterBoundaries() throws Exception {
        String name = "\uD83D\uDE00".repeat(100); // 400 bytes of 4-byte emoji, no extension
        String c = clean(name);
        assertTrue(c.getBytes(StandardCharsets.UTF_8).length <= 255);
        assertTrue(c.matches("(\uD83D\uDE00)+~[0-9a-f]{8}"), c);
    }

    @Test
    void pathNamesTheComponentThatFailed() {
        InvalidTorrentException e = assertThrows(InvalidTorrentException.class,
                () -> PathSanitizer.path(List.of("ok", ".."), "info.files[3].path"));
        assertEquals("info.files[3].path[1]", e.where());
    }

    @Test
    void resolveStaysInsideTheDownloadFolder() throws Exception {
        Path p = PathSanitizer.resolve(dir, new FileEntry(List.of("a", "b.txt"), 1, 0, false));
        assertEquals(dir.toAbsolutePath().normalize().resolve("a/b.txt"), p);
    }

    @Test
    void resolveRefusesEntriesBuiltWithUnsafeComponents() {
        for (List<String> bad : List.of(List.of(".."), List.of("a", "..", ".."), List.of("/etc/passwd"),
                List.of("a\\..\\..\\b"), List.of("."), List.of(""))) {
            assertThrows(IOException.class, () -> PathSanitizer.resolve(dir, new FileEntry(bad, 1, 0, false)),
                    bad.toString());
        }
    }

    @Test
    void resolvePutsMultiFileTorrentsInAFolderNamedAfterThem() throws Exception {
        TorrentMetainfo multi = MetainfoParser.parse(Torrents.encode(Torrents.multiFile("album", "cd/1.flac", 5)));
        assertEquals(dir.toAbsolutePath().resolve("album/cd/1.flac"),
                PathSanitizer.resolve(dir, multi, multi.files().get(0)));
        TorrentMetainfo single = MetainfoParser.parse(Torrents.encode(Torrents.singleFile("one.iso", 5)));
        assertEquals(dir.toAbsolutePath().resolve("one.iso"),
                PathSanitizer.resolve(dir, single, single.files().get(0)));
    }
}
