package io.piecework.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.api.metainfo.TorrentMetainfo;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bounds that keep a hostile .torrent (or a magnet's metadata) from exhausting the heap. */
class MetainfoLimitsTest {
    private static InvalidTorrentException rejects(Map<String, Object> torrent) {
        return assertThrows(InvalidTorrentException.class, () -> MetainfoParser.parse(Torrents.encode(torrent)));
    }

    /** A multi-file torrent of {@code count} files, each path as given plus a unique last name. */
    private static Map<String, Object> files(int count, List<Object> folders) {
        Map<String, Object> t = Torrents.multiFile("d", "first", 1);
        List<Object> list = Torrents.files(t);
        list.clear();
        for (int i = 0; i < count; i++) {
            List<Object> path = new ArrayList<>(folders);
            path.add("f" + i);
            Map<String, Object> f = new java.util.LinkedHashMap<>();
            f.put("length", 1L);
            f.put("path", path);
            list.add(f);
        }
        Torrents.info(t).put("pieces", new byte[Torrents.pieceCount(count) * 20]);
        return t;
    }

    @Test
    void pathsAtTheDepthLimitAreAcceptedOneDeeperIsRefusedNamingTheFile() throws Exception {
        List<Object> deepest = new ArrayList<>(Collections.nCopies(MetainfoParser.MAX_PATH_DEPTH - 1, "a"));
        TorrentMetainfo ok = MetainfoParser.parse(Torrents.encode(files(3, deepest)));
        assertEquals(MetainfoParser.MAX_PATH_DEPTH, ok.files().get(2).path().size());

        deepest.add("a");
        InvalidTorrentException e = rejects(files(3, deepest));
        assertEquals("info.files[0].path", e.where());
        assertEquals("info.files[0].path: path of 129 components is deeper than the limit of 128", e.getMessage());
    }

    @Test
    void manyDeepFilesSharingFoldersAreCheckedForDuplicatesAtTheLastFile() {
        // 2,000 files 127 folders deep: the folder tree is walked once per component (the old
        // check built every prefix of every path: quadratic in the depth).
        List<Object> folders = new ArrayList<>(Collections.nCopies(MetainfoParser.MAX_PATH_DEPTH - 1, "dir"));
        Map<String, Object> t = files(2000, folders);
        List<Object> list = Torrents.files(t);
        list.add(list.get(1234));
        Torrents.info(t).put("pieces", new byte[Torrents.pieceCount(list.size()) * 20]);
        InvalidTorrentException e = rejects(t);
        assertEquals("info.files[2000].path", e.where());
        assertTrue(e.getMessage().contains("duplicate file path 'dir/dir/"), e.getMessage());
        assertTrue(e.getMessage().endsWith("...' (after sanitising)"), "a long path is cut: " + e.getMessage());
    }

    @Test
    void allPathsTogetherAreBoundedAfterSanitisingTriplesLegacyBytes() {
        // 80 raw bytes that are not UTF-8 become 240 characters (%XX each): 12 folders make a
        // 2,898-byte path from ~1,000 raw bytes, so 6,000 files reach 17 MB from a 6 MB torrent.
        byte[] legacy = new byte[80];
        Arrays.fill(legacy, (byte) 0xff);
        List<Object> folders = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            folders.add(legacy);
        }
        InvalidTorrentException e = rejects(files(6000, folders));
        assertTrue(e.getMessage().contains("exceed the limit of " + MetainfoParser.MAX_TOTAL_PATH_BYTES
                + " bytes in all"), e.getMessage());
        assertTrue(e.where().startsWith("info.files["), e.where());
    }

    @Test
    void overLongTextIsRefusedBeforeItIsDecoded() {
        Map<String, Object> t = Torrents.singleFile("f", 1);
        t.put("comment", "x".repeat(MetainfoParser.MAX_TEXT_BYTES + 1));
        InvalidTorrentException e = rejects(t);
        assertEquals("comment", e.where());
        assertTrue(e.getMessage().contains("text of 65537 bytes is longer than the limit of 65536"), e.getMessage());

        Map<String, Object> name = Torrents.singleFile("x".repeat(MetainfoParser.MAX_TEXT_BYTES + 1), 1);
        assertEquals("info.name", rejects(name).where());
    }

    @Test
    void trackerAndWebSeedUrlsAreBoundedInLengthAndNumber() {
        Map<String, Object> longUrl = Torrents.singleFile("f", 1);
        longUrl.put("announce", "http://" + "x".repeat(MetainfoParser.MAX_TEXT_BYTES));
        assertEquals("announce", rejects(longUrl).where());

        List<Object> tier = new ArrayList<>();
        for (int i = 0; i <= MetainfoParser.MAX_URLS; i++) {
            tier.add("http://t" + i + ".example/announce");
        }
        Map<String, Object> many = Torrents.singleFile("f", 1);
        many.put("announce-list", List.of(tier));
        InvalidTorrentException e = rejects(many);
        assertEquals("announce-list[0][1000]: more than 1000 URLs", e.getMessage());

        Map<String, Object> seeds = Torrents.singleFile("f", 1);
        seeds.put("url-list", tier);
        assertEquals("url-list[1000]", rejects(seeds).where());
    }

    @Test
    void tooManyValuesAreRefusedWhileDecoding() {
        Map<String, Object> t = Torrents.singleFile("f", 1);
        t.put("x", Collections.nCopies(MetainfoParser.MAX_VALUES, 0L));
        InvalidTorrentException e = rejects(t);
        assertTrue(e.getMessage().contains("more than " + MetainfoParser.MAX_VALUES + " values"), e.getMessage());
    }

    @Test
    void anOversizedFileIsNamedOnceByItsCallerNotInTheMessage(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.torrent");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(100L << 20);
        }
        InvalidTorrentException e = assertThrows(InvalidTorrentException.class, () -> MetainfoParser.read(big));
        assertEquals("file size: 104857600 bytes exceeds the limit of 16777216 bytes for a .torrent", e.getMessage());
        assertTrue(Files.exists(big));
    }

    @Test
    void aDictionaryKeyInABencodeErrorIsEscaped() {
        byte[] bad = "d4:infod5:x\u001b[2Ji1e5:x\u001b[2Ji1eee".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        InvalidTorrentException e = assertThrows(InvalidTorrentException.class, () -> MetainfoParser.parse(bad));
        assertTrue(e.getMessage().contains("duplicate dictionary key 'x\\u001b[2J'"), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\u001b'), e.getMessage());
    }
}
