package io.piecework.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.MetainfoParser;
import io.piecework.metainfo.MetainfoWriter;
import io.piecework.metainfo.TorrentCreator;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Torrents travel both ways between Piecework and libtorrent and mean the same thing to both. */
class MetainfoInteropTest {
    @TempDir
    Path dir;
    Path script;

    @BeforeEach
    void copyScript() throws Exception {
        script = Libtorrent.script("lt_meta.py", dir);
    }

    private Path multiFileFolder() throws Exception {
        Path root = dir.resolve("album");
        Payloads.file(root.resolve("b.bin"), 300_000, 1);
        Payloads.file(root.resolve("a.bin"), 70_000, 2);
        Payloads.file(root.resolve("sub/deeper/c.bin"), 50_000, 3);
        Files.createFile(root.resolve("empty"));
        return root;
    }

    @Test
    void multiFileTorrentCreatedByPieceworkReadsTheSameInLibtorrent() throws Exception {
        Path source = multiFileFolder();
        TorrentMetainfo created = TorrentCreator.create(new CreateRequest(source, 32 * 1024,
                List.of("http://127.0.0.1:6969/announce", "udp://127.0.0.1:6969"),
                List.of("http://127.0.0.1:8080/seed/"), true, "interop", 2), (hashed, total) -> { });
        assertSameAsLibtorrent(created, source.getParent());
    }

    @Test
    void singleFileTorrentCreatedByPieceworkReadsTheSameInLibtorrent() throws Exception {
        Path source = Payloads.file(dir.resolve("one.iso"), 1_000_003, 4);
        TorrentMetainfo created = TorrentCreator.create(CreateRequest.of(source), (hashed, total) -> { });
        assertSameAsLibtorrent(created, dir);
    }

    private void assertSameAsLibtorrent(TorrentMetainfo created, Path savePath) throws Exception {
        Path file = dir.resolve("piecework.torrent");
        Files.write(file, MetainfoWriter.write(created));
        Map<String, List<String>> lt = Libtorrent.run(script, 60, "dump", file.toString());
        assertEquals(created.infoHash().hex(), Libtorrent.one(lt, "info_hash"));
        assertEquals(created.name(), Libtorrent.one(lt, "name"));
        assertEquals(created.pieceLength(), Long.parseLong(Libtorrent.one(lt, "piece_length")));
        assertEquals(created.pieceCount(), Integer.parseInt(Libtorrent.one(lt, "num_pieces")));
        assertEquals(created.totalSize(), Long.parseLong(Libtorrent.one(lt, "total_size")));
        assertEquals(created.isPrivate(), Boolean.parseBoolean(Libtorrent.one(lt, "private")));
        assertEquals(sha1Hex(created.pieceHashes()), Libtorrent.one(lt, "pieces_sha1"));
        assertEquals(describe(created), lt.get("file"));
        assertEquals(trackers(created), lt.getOrDefault("tracker", List.of()));

        // libtorrent hashes our data itself: every piece must match the hashes we wrote.
        Map<String, List<String>> check = Libtorrent.run(script, 120, "check", file.toString(), savePath.toString());
        assertEquals(Libtorrent.one(check, "num_pieces"), Libtorrent.one(check, "have_pieces"));
    }

    @Test
    void libtorrentSingleFileTorrentParsesWithTheSameInfoHash() throws Exception {
        Path source = Payloads.file(dir.resolve("movie.mkv"), 777_777, 5);
        assertParsesLikeLibtorrent(source, 16 * 1024, "--tracker", "http://127.0.0.1:1/announce");
    }

    @Test
    void libtorrentMultiFileTorrentParsesWithTheSameInfoHash() throws Exception {
        assertParsesLikeLibtorrent(multiFileFolder(), 32 * 1024, "--web-seed", "http://127.0.0.1:2/ws/",
                "--private");
    }

    @Test
    void libtorrentTorrentWithPadFilesParsesWithPadFilesRecognised() throws Exception {
        TorrentMetainfo parsed = assertParsesLikeLibtorrent(multiFileFolder(), 32 * 1024, "--pad");
        assertTrue(parsed.files().stream().anyMatch(FileEntry::padding), "libtorrent wrote pad files");
    }

    private TorrentMetainfo assertParsesLikeLibtorrent(Path source, int pieceSize, String... flags) throws Exception {
        Path file = dir.resolve("libtorrent.torrent");
        List<String> args = new ArrayList<>(List.of("create", source.toString(), file.toString(),
                Integer.toString(pieceSize)));
        args.addAll(List.of(flags));
        Libtorrent.run(script, 60, args.toArray(String[]::new));
        Map<String, List<String>> lt = Libtorrent.run(script, 60, "dump", file.toString());

        TorrentMetainfo parsed = MetainfoParser.read(file);
        assertEquals(Libtorrent.one(lt, "info_hash"), parsed.infoHash().hex());
        assertEquals(Long.parseLong(Libtorrent.one(lt, "total_size")), parsed.totalSize());
        assertEquals(Integer.parseInt(Libtorrent.one(lt, "num_pieces")), parsed.pieceCount());
        assertEquals(Libtorrent.one(lt, "pieces_sha1"), sha1Hex(parsed.pieceHashes()));
        assertEquals(lt.get("file"), describe(parsed));
        assertEquals(lt.getOrDefault("tracker", List.of()), trackers(parsed));
        assertEquals(lt.getOrDefault("web_seed", List.of()), parsed.webSeeds());
        assertEquals(Boolean.parseBoolean(Libtorrent.one(lt, "private")), parsed.isPrivate());
        return parsed;
    }

    /** Files as the python script prints them: offset, size, pad flag, path with the torrent name. */
    private static List<String> describe(TorrentMetainfo t) {
        List<String> lines = new ArrayList<>();
        for (FileEntry f : t.files()) {
            String path = t.multiFile() ? t.name() + "/" + f.displayPath() : f.displayPath();
            lines.add(f.offset() + "\t" + f.length() + "\t" + f.padding() + "\t" + path);
        }
        return lines;
    }

    private static List<String> trackers(TorrentMetainfo t) {
        List<String> lines = new ArrayList<>();
        for (int tier = 0; tier < t.trackerTiers().size(); tier++) {
            for (String url : t.trackerTiers().get(tier)) {
                lines.add(tier + "\t" + url);
            }
        }
        return lines;
    }

    private static String sha1Hex(ByteBuffer bytes) throws Exception {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        sha1.update(bytes.duplicate());
        return HexFormat.of().formatHex(sha1.digest());
    }
}
