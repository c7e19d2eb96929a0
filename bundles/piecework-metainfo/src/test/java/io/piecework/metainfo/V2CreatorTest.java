package io.piecework.metainfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.TorrentVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code create --v2/--hybrid} against hashes libtorrent 2.0.8 computed for the same folder
 * (lt.create_torrent(fs, 32768, flags=v2_only or 0) over d/ below, byte j of file k being
 * (7j + 13k) mod 251); the itest V2CreateInteropIT runs libtorrent itself on other data.
 */
class V2CreatorTest {
    private static final int PIECE = 32768;
    @TempDir
    Path dir;
    private Path d;

    @BeforeEach
    void folder() throws Exception {
        d = dir.resolve("d");
        Files.createDirectories(d.resolve("sub"));
        write(d.resolve("a.bin"), 40000, 1);
        write(d.resolve("c.txt"), 5, 2);
        write(d.resolve("empty"), 0, 3);
        write(d.resolve("sub/b.bin"), 70000, 4);
    }

    private static void write(Path p, int n, int k) throws Exception {
        byte[] b = new byte[n];
        for (int j = 0; j < n; j++) {
            b[j] = (byte) ((j * 7 + k * 13) % 251);
        }
        Files.write(p, b);
    }

    private TorrentMetainfo create(TorrentVersion version, int threads, CreateProgress progress) throws Exception {
        return TorrentCreator.create(new CreateRequest(d, PIECE, List.of(), List.of(), false, null, threads, version),
                progress);
    }

    @Test
    void v2OnlyTorrentHasLibtorrentsInfoHash() throws Exception {
        TorrentMetainfo t = create(TorrentVersion.V2, 2, CreateProgress.NONE);
        assertEquals(TorrentVersion.V2, t.version());
        assertEquals("8e8023f044ecf9f449d315b79365b31e1efd66cc37632b29e9c39de53932412a", t.infoHashV2().orElseThrow().hex());
        assertEquals(List.of("a.bin", "c.txt", "empty", "sub/b.bin"),
                t.files().stream().filter(f -> !f.padding()).map(FileEntry::displayPath).toList());
        // Layers survive writing and reading back (the parser verifies them against the roots).
        TorrentMetainfo again = MetainfoParser.parse(MetainfoWriter.write(t));
        assertEquals(2 * 32, again.v2Files().orElseThrow().layer(0).remaining());
        assertEquals(3 * 32, again.v2Files().orElseThrow().layer(5).remaining(), "sub/b.bin, after pads");
        assertNull(again.v2Files().get().layer(2), "c.txt: one piece");
    }

    @Test
    void hybridTorrentHasLibtorrentsTwoInfoHashesAndPadFiles() throws Exception {
        AtomicLong last = new AtomicLong();
        TorrentMetainfo t = create(TorrentVersion.HYBRID, 1, (done, total) -> {
            assertTrue(done >= last.get() && done <= total, done + " of " + total);
            last.set(done);
        });
        assertEquals(TorrentVersion.HYBRID, t.version());
        assertEquals("7a50e195cb28eb41e2f3f71992cb7db699e6aa4e", t.infoHash().hex());
        assertEquals("b02d92bf250e197d4e5dbf3872fb802f1327277a3a33105fd65de306e68358f3", t.infoHashV2().orElseThrow().hex());
        assertEquals(List.of("a.bin", ".pad/25536", "c.txt", ".pad/32763", "empty", "sub/b.bin", ".pad/28304"),
                t.files().stream().map(FileEntry::displayPath).toList());
        assertEquals(2 * 110005, last.get(), "both halves reported");
    }

    @Test
    void defaultStaysV1() throws Exception {
        TorrentMetainfo t = TorrentCreator.create(CreateRequest.of(d), CreateProgress.NONE);
        assertEquals(TorrentVersion.V1, t.version());
        assertTrue(t.infoHashV2().isEmpty());
    }

    @Test
    void aFileOfOneBlockHasItsBlockHashAsRoot() throws Exception {
        Path one = dir.resolve("one");
        Files.writeString(one, "hello");
        TorrentMetainfo t = TorrentCreator.create(CreateRequest.of(one).withVersion(TorrentVersion.V2),
                CreateProgress.NONE);
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest("hello".getBytes()),
                t.v2Files().orElseThrow().root(0));
        assertEquals(List.of("one"), t.files().get(0).path());
    }
}
