package io.piecework.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InvalidTorrentException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a .torrent can be broken or hostile gets a one-line error saying where. */
class MetainfoParserRejectsTest {

    private static InvalidTorrentException rejects(byte[] bytes) {
        InvalidTorrentException e = assertThrows(InvalidTorrentException.class, () -> MetainfoParser.parse(bytes));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    private static InvalidTorrentException rejects(Map<String, Object> torrent) {
        return rejects(Torrents.encode(torrent));
    }

    @Test
    void truncatedFileNamesTheByteWhereInputEnded() {
        byte[] whole = Torrents.encode(Torrents.singleFile("f", 1));
        InvalidTorrentException e = rejects(Arrays.copyOf(whole, whole.length - 2));
        assertEquals("byte " + (whole.length - 2), e.where());
        assertTrue(e.getMessage().contains("unexpected end of input"), e.getMessage());
        // Cut inside the pieces string: the string's start is named.
        int pieces = new String(whole, StandardCharsets.ISO_8859_1).indexOf("6:pieces") + 8;
        InvalidTorrentException cut = rejects(Arrays.copyOf(whole, pieces + 5));
        assertEquals("byte " + pieces, cut.where());
    }

    @Test
    void corruptBencodeNamesTheByteOffset() {
        byte[] bytes = Torrents.encode(Torrents.singleFile("f", 1));
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("i1e");
        bytes[at + 1] = 'x';
        InvalidTorrentException e = rejects(bytes);
        assertEquals("byte " + (at + 1), e.where());
        assertTrue(e.getMessage().startsWith("byte " + (at + 1) + ": "), e.getMessage());
    }

    @Test
    void deepNestingIsRefusedWithoutStackOverflow() {
        byte[] bytes = new byte[100_000];
        Arrays.fill(bytes, (byte) 'l');
        InvalidTorrentException e = rejects(bytes);
        assertEquals("byte " + MetainfoParser.MAX_NESTING, e.where());
        assertTrue(e.getMessage().contains("nesting deeper than " + MetainfoParser.MAX_NESTING), e.getMessage());
    }

    @Test
    void oversizedStringLengthPrefixIsRefusedBeforeAllocating() {
        InvalidTorrentException e = rejects("d4:info99999999999:xe".getBytes(StandardCharsets.US_ASCII));
        assertEquals("byte 7", e.where());
        assertTrue(e.getMessage().contains("longer than the limit"), e.getMessage());
    }

    @Test
    void stringRunningPastTheEndIsRefused() {
        InvalidTorrentException e = rejects("d4:info1000:xe".getBytes(StandardCharsets.US_ASCII));
        assertTrue(e.getMessage().contains("runs past the end"), e.getMessage());
    }

    @Test
    void oversizedFileIsRefusedBeforeReading(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.torrent");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(MetainfoParser.MAX_TORRENT_BYTES + 1L); // sparse: nothing is written
        }
        InvalidTorrentException e = assertThrows(InvalidTorrentException.class, () -> MetainfoParser.read(big));
        assertTrue(e.getMessage().contains("exceeds the limit"), e.getMessage());
    }

    @Test
    void oversizedInputIsRefusedByParseToo() {
        InvalidTorrentException e = rejects(new byte[MetainfoParser.MAX_TORRENT_BYTES + 1]);
        assertTrue(e.getMessage().contains("exceeds the limit"), e.getMessage());
    }

    @Test
    void topLevelMustBeADictionary() {
        assertEquals("torrent", rejects("li1ee".getBytes(StandardCharsets.US_ASCII)).where());
    }

    @Test
    void missingInfoIsRefused() {
        Map<String, Object> t = Torrents.singleFile("f", 1);
        t.remove("info");
        assertTrue(rejects(t).getMessage().contains("missing field 'info'"));
    }

    @Test
    void piecesNotAMultipleOf20IsRefused() {
        Map<String, Object> t = Torrents.singleFile("f", 1);
        Torrents.info(t).put("pieces", new byte[21]);
        InvalidTorrentException e = rejects(t);
        assertEquals("info.pieces", e.where());
        assertTrue(e.getMessage().contains("not a multiple of 20"), e.getMessage());
    }

    @Test
    void piecesCountNotMatchingTheSizeIsRefused() {
        Map<String, Object> t = Torrents.singleFile("f", 40000);
        Torrents.info(t).put("pieces", new byte[2 * 20]);
        InvalidTorrentException e = rejects(t);
        assertEquals("info.pieces", e.where());
        assertTrue(e.getMessage().contains("holds 2 piece hashes but 40000 bytes in pieces of 16384 need 3"),
                e.getMessage());
    }

    @Test
    void negativeLengthIsRefused() {
        Map<String, Object> t = Torrents.singleFile("f", 1);
        Torrents.info(t).put("length", -1L);
        assertEquals("info.length", rejects(t).where());
    }

    @Test
    void negativeFileLengthInListIsRefusedWithItsIndex() {
        Map<String, Object> t = Torrents.multiFile("d", "a", 10, "b", 10);
        Torrents.files(t).set(1, Torrents.file(List.of("b"), -10));
        assertEquals("info.files[1].length", rejects(t).where());
    }

    @Test
    void totalSizeOverflowIsRefused() {
        Map<String, Object> t = Torrents.multiFile("d", "a", Long.MAX_VALUE, "b", 1);
        Torrents.info(t).put("pieces", new byte[0]);
        InvalidTorrentException e = rejects(t);
        assertEquals("info.files[1].length", e.where());
        assertTrue(e.getMessage().contains("overflows"), e.getMessage());
    }

    @Test
    void zeroAndNegativeAndHugePieceLengthsAreRefused() {
        for (long length : new long[] {0, -16384, 1L << 40}) {
            Map<String, Object> t = Torrents.singleFile("f", 1);
            Torrents.info(t).put("piece length", length);
            assertEquals("info.piece length", rejects(t).where(), "piece length " + length);
        }
    }

    @Test
    void emptyFileListIsRefused() {
        Map<String, Object> t = Torrents.multiFile("d");
        assertEquals("info.files", rejects(t).where());
    }

    @Test
    void torrentWithNoDataIsRefused() {
        Map<String, Object> t = Torrents.singleFile("f", 0);
        assertTrue(rejects(t).getMessage().contains("no data"));
    }

    @Test
    void bothLengthAndFilesIsRefused() {
        Map<String, Object> t = Torrents.multiFile("d", "a", 1);
        Torrents.info(t).put("length", 1L);
        assertTrue(rejects(t).getMessage().contains("both 'length' and 'files'"));
    }

    @Test
    void neitherLengthNorFilesIsRefused() {
        Map<String, Object> t = Torrents.singleFile("f", 1);
        Torrents.info(t).remove("length");
        assertTrue(rejects(t).getMessage().contains("neither"));
    }

    @Test
    void missingNameIsRefused() {
        Map<String, Object> t = Torrents.singleFile("f", 1);
        Torrents.info(t).remove("name");
        assertEquals("info", rejects(t).where());
    }

    @Test
    void wrongTypesNameTheField() {
        Map<String, Object> t = Torrents.singleFile("f", 1);
        Torrents.info(t).put("piece length", "16384");
        assertEquals("info.piece length", rejects(t).where());
        t = Torrents.singleFile("f", 1);
        t.put("announce-list", List.of("udp://not-a-tier"));
        assertEquals("announce-list[0]", rejects(t).where());
        t = Torrents.multiFile("d", "a", 1);
        Torrents.files(t).set(0, Map.of("length", 1L, "path", "a"));
        assertEquals("info.files[0].path", rejects(t).where());
    }

    @Test
    void unknownMetaVersionIsRefused() {
        Map<String, Object> t = Torrents.singleFile("f", 1);
        Torrents.info(t).put("meta version", 3L);
        assertEquals("info.meta version", rejects(t).where());
    }

    // --- path traversal and hostile names ---

    private static InvalidTorrentException rejectsPath(List<String> path) {
        Map<String, Object> t = Torrents.multiFile("d", "ok", 1);
        Torrents.files(t).add(Torrents.file(path, 1));
        Torrents.info(t).put("pieces", new byte[20]);
        return rejects(t);
    }

    @Test
    void dotDotComponentIsRefusedNamingTheComponent() {
        InvalidTorrentException e = rejectsPath(List.of("a", "..", "etc"));
        assertEquals("info.files[1].path[1]", e.where());
        assertTrue(e.getMessage().contains("path traversal"), e.getMessage());
    }

    @Test
    void dotComponentIsRefused() {
        assertEquals("info.files[1].path[0]", rejectsPath(List.of(".", "x")).where());
    }

    @Test
    void absolutePathIsRefused() {
        assertEquals("info.files[1].path[0]", rejectsPath(List.of("/etc/passwd")).where());
    }

    @Test
    void windowsDrivePathIsRefused() {
        assertTrue(rejectsPath(List.of("C:\\x")).getMessage().contains("separator"));
    }

    @Test
    void backslashesAreRefused() {
        assertEquals("info.files[1].path[1]", rejectsPath(List.of("a", "..\\..\\x")).where());
    }

    @Test
    void nulIsRefused() {
        assertTrue(rejectsPath(List.of("a\0.txt")).getMessage().contains("NUL"));
    }

    @Test
    void emptyComponentAndEmptyPathAreRefused() {
        assertEquals("info.files[1].path[1]", rejectsPath(List.of("a", "")).where());
        assertEquals("info.files[1].path", rejectsPath(List.of()).where());
    }

    @Test
    void nameWithTraversalIsRefused() {
        Map<String, Object> t = Torrents.singleFile("..", 1);
        assertEquals("info.name", rejects(t).where());
        t = Torrents.singleFile("/etc/passwd", 1);
        assertEquals("info.name", rejects(t).where());
    }

    @Test
    void twoFilesWithTheSameSanitisedPathAreRefused() {
        Map<String, Object> t = Torrents.multiFile("d", "a/b?", 1, "a/b*", 1);
        InvalidTorrentException e = rejects(t);
        assertEquals("info.files[1].path", e.where());
        assertTrue(e.getMessage().contains("duplicate file path 'a/b_'"), e.getMessage());
    }

    @Test
    void exactDuplicatePathsAreRefused() {
        assertTrue(rejects(Torrents.multiFile("d", "a", 1, "a", 1)).getMessage().contains("duplicate"));
    }

    @Test
    void fileThatIsAlsoAFolderIsRefused() {
        assertTrue(rejects(Torrents.multiFile("d", "a", 1, "a/b", 1)).getMessage().contains("both a file and a folder"));
        assertTrue(rejects(Torrents.multiFile("d", "a/b", 1, "a", 1)).getMessage().contains("both a file and a folder"));
    }

    @Test
    void overLongTotalPathIsRefused() {
        String c = "x".repeat(200);
        List<String> deep = java.util.Collections.nCopies(20, c); // 20 * 201 bytes > 3072
        InvalidTorrentException e = rejectsPath(deep);
        assertEquals("info.files[1].path", e.where());
        assertTrue(e.getMessage().contains("longer than the limit"), e.getMessage());
    }

    @Test
    void controlCharactersReservedNamesAndLongNamesAreEscapedNotRefused() throws Exception {
        String longName = "é".repeat(200) + ".txt";
        Map<String, Object> t = Torrents.multiFile("d", "tab\there", 1, "aux", 1, "dir./lpt1.log", 1, longName, 1);
        List<List<String>> paths = MetainfoParser.parse(Torrents.encode(t)).files().stream()
                .map(f -> f.path()).toList();
        assertEquals(List.of("tab_here"), paths.get(0));
        assertEquals(List.of("_aux"), paths.get(1));
        assertEquals(List.of("dir_", "_lpt1.log"), paths.get(2));
        String shortened = paths.get(3).get(0);
        assertTrue(shortened.getBytes(StandardCharsets.UTF_8).length <= 255);
        assertTrue(shortened.matches("é+~[0-9a-f]{8}\\.txt"), shortened);
    }

    @Test
    void readRefusesAMissingFileWithIOException(@TempDir Path dir) {
        assertThrows(java.io.IOException.class, () -> MetainfoParser.read(dir.resolve("none.torrent")));
        assertTrue(Files.notExists(dir.resolve("none.torrent")));
    }
}
