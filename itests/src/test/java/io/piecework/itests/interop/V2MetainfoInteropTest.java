package io.piecework.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.TorrentVersion;
import io.piecework.api.metainfo.V2Files;
import io.piecework.metainfo.MetainfoParser;
import io.piecework.metainfo.MetainfoWriter;
import io.piecework.metainfo.TorrentCreator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 52 torrents both ways with libtorrent 2.0.8: what {@code create --v2} and
 * {@code --hybrid} make, libtorrent reads with the v1 and v2 info-hashes it computes itself for
 * the same folder (and its own hashing of the data agrees); what libtorrent makes, our parser
 * reads with the same hashes, files and pieces roots.
 */
class V2MetainfoInteropTest {
    private static final int PIECE = 32 * 1024;
    @TempDir
    Path dir;
    Path script;
    Path folder;

    @BeforeEach
    void setUp() throws Exception {
        script = Libtorrent.script("lt_meta.py", dir);
        // No file is a multiple of the piece length: every v1 file boundary needs a pad in a hybrid.
        folder = dir.resolve("album");
        Payloads.file(folder.resolve("b.bin"), 300_001, 1);
        Payloads.file(folder.resolve("a.bin"), 70_000, 2);
        Payloads.file(folder.resolve("sub/deeper/c.bin"), 50_000, 3);
        Payloads.file(folder.resolve("tiny.txt"), 5, 4);
        Files.createFile(folder.resolve("empty"));
    }

    @Test
    void v2OnlyTorrentFromCreateHasLibtorrentsV2Hash() throws Exception {
        assertSameHashesAsLibtorrent(TorrentVersion.V2, "--v2");
    }

    @Test
    void hybridTorrentFromCreateHasLibtorrentsV1AndV2Hashes() throws Exception {
        assertSameHashesAsLibtorrent(TorrentVersion.HYBRID, "--hybrid");
    }

    @Test
    void libtorrentV2TorrentParsesWithTheSameHashFilesAndRoots() throws Exception {
        TorrentMetainfo parsed = assertParsesLikeLibtorrent("--v2");
        assertEquals(TorrentVersion.V2, parsed.version());
    }

    @Test
    void libtorrentHybridTorrentParsesWithTheSameHashesFilesAndRoots() throws Exception {
        TorrentMetainfo parsed = assertParsesLikeLibtorrent("--hybrid");
        assertEquals(TorrentVersion.HYBRID, parsed.version());
    }

    private void assertSameHashesAsLibtorrent(TorrentVersion version, String ltFlag) throws Exception {
        TorrentMetainfo ours = TorrentCreator.create(new CreateRequest(folder, PIECE, List.of(), List.of(), false,
                null, 2, version), (hashed, total) -> { });
        Path ourFile = dir.resolve("piecework.torrent");
        Files.write(ourFile, MetainfoWriter.write(ours));

        // libtorrent reads ours with the hashes we wrote ...
        Map<String, List<String>> read = Libtorrent.run(script, 60, "dump", ourFile.toString());
        assertEquals(Boolean.toString(version.hasV1()), Libtorrent.one(read, "has_v1"));
        assertEquals(ours.infoHashV2().orElseThrow().hex(), Libtorrent.one(read, "info_hash_v2"));
        if (version.hasV1()) {
            assertEquals(ours.infoHash().hex(), Libtorrent.one(read, "info_hash"));
        }
        // ... which are the ones it computes for the same folder ...
        Path ltFile = dir.resolve("libtorrent.torrent");
        Libtorrent.run(script, 60, "create", folder.toString(), ltFile.toString(), Integer.toString(PIECE), ltFlag);
        Map<String, List<String>> theirs = Libtorrent.run(script, 60, "dump", ltFile.toString());
        assertEquals(Libtorrent.one(theirs, "info_hash_v2"), ours.infoHashV2().get().hex());
        assertEquals(Libtorrent.one(theirs, "info_hash"), Libtorrent.one(read, "info_hash"));
        assertEquals(theirs.get("file"), read.get("file"));
        assertEquals(theirs.get("root"), read.get("root"));
        // ... and its own hashing of the data agrees with every piece (v2: every Merkle root).
        Map<String, List<String>> check = Libtorrent.run(script, 120, "check", ourFile.toString(),
                folder.getParent().toString());
        assertEquals(Libtorrent.one(check, "num_pieces"), Libtorrent.one(check, "have_pieces"));
    }

    private TorrentMetainfo assertParsesLikeLibtorrent(String ltFlag) throws Exception {
        Path file = dir.resolve("libtorrent.torrent");
        Libtorrent.run(script, 60, "create", folder.toString(), file.toString(), Integer.toString(PIECE), ltFlag);
        Map<String, List<String>> lt = Libtorrent.run(script, 60, "dump", file.toString());
        TorrentMetainfo parsed = MetainfoParser.read(file);
        assertEquals(Libtorrent.one(lt, "info_hash_v2"), parsed.infoHashV2().orElseThrow().hex());
        if (parsed.version().hasV1()) {
            assertEquals(Libtorrent.one(lt, "info_hash"), parsed.infoHash().hex());
            assertEquals(Integer.parseInt(Libtorrent.one(lt, "num_pieces")), parsed.pieceCount());
            assertEquals(lt.get("file"), describe(parsed, true));
        } else {
            // libtorrent lists a v2-only torrent's gaps as pad files; we list only the files.
            assertEquals(lt.get("file").stream().filter(l -> !l.contains("\ttrue\t")).toList(), describe(parsed, false));
        }
        assertEquals(lt.get("root"), roots(parsed));
        assertFalse(parsed.files().isEmpty());
        return parsed;
    }

    private static List<String> describe(TorrentMetainfo t, boolean withPads) {
        List<String> lines = new ArrayList<>();
        for (FileEntry f : t.files()) {
            if (withPads || !f.padding()) {
                lines.add(f.offset() + "\t" + f.length() + "\t" + f.padding() + "\t" + t.name() + "/" + f.displayPath());
            }
        }
        return lines;
    }

    private static List<String> roots(TorrentMetainfo t) {
        V2Files v2 = t.v2Files().orElseThrow();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < t.files().size(); i++) {
            if (v2.root(i) != null) {
                lines.add(t.name() + "/" + t.files().get(i).displayPath() + "\t" + HexFormat.of().formatHex(v2.root(i)));
            }
        }
        return lines;
    }
}
