package io.piecework.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.api.metainfo.MagnetLink;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.TorrentVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing of everything that reads a torrent or magnet from a stranger
 * (docs/fuzzing.md). Without JAZZER_FUZZ this replays MetainfoFuzzTestInputs/ as ordinary tests.
 *
 * <p>The first input byte picks the target, so one run covers all three and every seed says
 * which it is for: 0 a .torrent, 1 a magnet URI, 2 a list of path components (NUL-separated).
 * Contract: the result or an {@link InvalidTorrentException}, nothing else; what is accepted
 * is safe to create below a download folder and survives a write/parse round trip.
 */
class MetainfoFuzzTest {
    private static final Path ROOT = Path.of("/downloads").toAbsolutePath();

    @DictionaryEntries({"d4:info", "4:name", "12:piece length", "6:pieces", "6:length", "5:files", "4:path",
            "10:path.utf-8", "4:attr", "13:announce-list", "8:announce", "8:url-list", "12:meta version",
            "9:file tree", "7:private", "magnet:?", "xt=urn:btih:", "xt=urn:btmh:", "&dn=", "&tr=", "&x.pe=",
            "&so=", "..", "%"})
    @FuzzTest(maxDuration = "10m")
    void parse(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        byte[] rest = Arrays.copyOfRange(input, 1, input.length);
        switch ((input[0] & 0xff) % 3) {
            case 0 -> torrent(rest);
            case 1 -> magnet(new String(rest, StandardCharsets.UTF_8));
            default -> path(new String(rest, StandardCharsets.UTF_8));
        }
    }

    private static void torrent(byte[] bytes) throws IOException {
        TorrentMetainfo torrent;
        try {
            torrent = MetainfoParser.parse(bytes);
        } catch (InvalidTorrentException e) {
            return;
        }
        assertSafe(List.of(torrent.name()));
        long offset = 0;
        boolean v2Only = torrent.version() == TorrentVersion.V2;
        for (FileEntry file : torrent.files()) {
            assertSafe(file.path());
            Path where = PathSanitizer.resolve(ROOT, torrent, file);
            assertTrue(where.startsWith(ROOT) && !where.equals(ROOT), "escapes the download folder: " + where);
            // v2-only files each start a piece, padded as a hybrid's, so all are laid end to end.
            assertEquals(offset, file.offset(), "files are not laid end to end");
            if (v2Only && file.length() > 0 && !file.padding()) {
                assertEquals(0, file.offset() % torrent.pieceLength(), "v2 layout");
            }
            offset = file.offset() + file.length();
        }
        assertEquals((torrent.totalSize() - 1) / torrent.pieceLength() + 1, torrent.pieceCount());
        assertEquals(torrent.version().hasV2(), torrent.infoHashV2().isPresent());

        TorrentMetainfo again = reparse(MetainfoWriter.write(torrent));
        assertEquals(torrent.infoHash(), again.infoHash());
        assertEquals(torrent.infoHashV2(), again.infoHashV2());
        assertEquals(torrent.name(), again.name());
        assertEquals(torrent.files(), again.files());
        assertEquals(torrent.trackerTiers(), again.trackerTiers());
        assertEquals(torrent.webSeeds(), again.webSeeds());
        assertEquals(torrent.comment(), again.comment());
        assertEquals(torrent.createdBy(), again.createdBy());
        assertEquals(torrent.creationDate(), again.creationDate());
        assertEquals(torrent.isPrivate(), again.isPrivate());
    }

    private static void magnet(String uri) {
        MagnetLink magnet;
        try {
            magnet = MagnetLinks.parse(uri);
        } catch (InvalidTorrentException e) {
            return;
        }
        String text = MagnetLinks.format(magnet);
        try {
            assertEquals(magnet, MagnetLinks.parse(text), "format then parse changed the magnet " + text);
        } catch (InvalidTorrentException e) {
            throw new AssertionError("our own magnet does not parse: " + text, e);
        }
    }

    private static void path(String joined) throws IOException {
        List<String> components = new ArrayList<>(Arrays.asList(joined.split("\0", -1)));
        List<String> safe;
        try {
            safe = PathSanitizer.path(components, "fuzz");
        } catch (InvalidTorrentException e) {
            return;
        }
        assertEquals(components.size(), safe.size());
        assertSafe(safe);
        Path where = PathSanitizer.resolve(ROOT, safe);
        assertTrue(where.startsWith(ROOT) && !where.equals(ROOT), "escapes the download folder: " + where);
        try {
            assertEquals(safe, PathSanitizer.path(safe, "again"), "sanitising is not idempotent");
        } catch (InvalidTorrentException e) {
            throw new AssertionError("a sanitised path is refused: " + safe, e);
        }
    }

    /** What every accepted name must be, whatever the escaping policy does to it. */
    private static void assertSafe(List<String> components) {
        assertFalse(components.isEmpty());
        for (String c : components) {
            assertFalse(c.isEmpty() || c.equals(".") || c.equals(".."), "unsafe component '" + c + "'");
            assertTrue(c.chars().noneMatch(ch -> ch == '/' || ch == '\\' || ch < 0x20 || ch == 0x7f),
                    "separator or control character in '" + PathSanitizer.printable(c) + "'");
            assertTrue(PathSanitizer.utf8Length(c) <= PathSanitizer.MAX_COMPONENT_BYTES, "component too long");
        }
        assertTrue(PathSanitizer.utf8Length(String.join("/", components)) <= PathSanitizer.MAX_PATH_BYTES,
                "path too long");
    }

    private static TorrentMetainfo reparse(byte[] written) {
        try {
            return MetainfoParser.parse(written);
        } catch (InvalidTorrentException e) {
            throw new AssertionError("a written torrent does not parse", e);
        }
    }
}
