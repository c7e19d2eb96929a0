package io.piecework.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.metainfo.internal.MetainfoComponent;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code info} on BEP 52 torrents made by libtorrent 2.0.8: both hashes and the version; v2-only shown, not refused. */
class V2InfoTest {
    @TempDir
    Path dir;
    private final CliRunner runner = new CliRunner();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws Exception {
        runner.addSubcommand(new InfoCommand(new MetainfoComponent()));
        for (String name : List.of("libtorrent-v2.torrent", "libtorrent-hybrid.torrent")) {
            try (InputStream in = V2InfoTest.class.getResourceAsStream(name)) {
                Files.write(dir.resolve(name), in.readAllBytes());
            }
        }
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return runner.run(List.of(args), new Io(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, dir));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void v2OnlyTorrentIsShownWithItsV2HashNotRefused() {
        assertEquals(0, run("info", "libtorrent-v2.torrent"), err.toString(StandardCharsets.UTF_8));
        assertTrue(out().contains("version:      v2\n"), out());
        assertTrue(out().contains("info-hash:    none (v2-only; the wire carries the truncated v2 hash"
                + " d4941e07d4ec54b074ad4e24138c086880ec2031)\n"), out());
        assertTrue(out().contains("info-hash v2: d4941e07d4ec54b074ad4e24138c086880ec2031d98b441e49f43df18b50c98c\n"), out());
        assertTrue(out().contains(" (110005 bytes)\n"), out());
        assertTrue(out().contains("pieces:       9 x 16.0 KiB"), out()); // 3 + 1 + 0 + 5 pieces, per file
        assertTrue(out().contains("  sub/b.bin  "), out());
    }

    @Test
    void hybridTorrentShowsBothHashes() {
        assertEquals(0, run("info", "libtorrent-hybrid.torrent"), err.toString(StandardCharsets.UTF_8));
        assertTrue(out().contains("version:      hybrid (v1 + v2)\n"), out());
        assertTrue(out().contains("info-hash:    654eed4df9570c787d862a74360a3b2d48b180e3\n"), out());
        assertTrue(out().contains("info-hash v2: 7709181fec7ec94dc68d427f0268786be9dd9f60a0e109d07254c4ca21b74a28\n"), out());
        assertTrue(out().contains("pieces:       9 x 16.0 KiB"), out());
    }

    @Test
    void v2OnlyTorrentIsReadForTransfer() throws Exception {
        MetainfoComponent metainfo = new MetainfoComponent();
        Io io = new Io(new PrintStream(out), new PrintStream(err), false, dir);
        assertEquals(9, InfoCommand.readForTransfer(metainfo, io, "libtorrent-v2.torrent").pieceCount());
    }

    @Test
    void magnetParseShowsTheV2Hash() {
        runner.addSubcommand(new MagnetCommand(new MetainfoComponent()));
        assertEquals(0, run("magnet", "--parse", "magnet:?xt=urn:btih:654eed4df9570c787d862a74360a3b2d48b180e3"
                + "&xt=urn:btmh:12207709181fec7ec94dc68d427f0268786be9dd9f60a0e109d07254c4ca21b74a28"));
        assertTrue(out().contains("info-hash:    654eed4df9570c787d862a74360a3b2d48b180e3\n"), out());
        assertTrue(out().contains("info-hash v2: 7709181fec7ec94dc68d427f0268786be9dd9f60a0e109d07254c4ca21b74a28\n"), out());
        assertEquals(0, run("magnet", "libtorrent-hybrid.torrent"));
        assertTrue(out().startsWith("magnet:?xt=urn:btih:654eed4df9570c787d862a74360a3b2d48b180e3"
                + "&xt=urn:btmh:12207709181fec7ec94dc68d427f0268786be9dd9f60a0e109d07254c4ca21b74a28&dn=d"), out());
    }

    @Test
    void createMakesV2AndHybridTorrentsThatInfoShows() throws Exception {
        runner.addSubcommand(new CreateCommand(new MetainfoComponent()));
        Path d = dir.resolve("d");
        Files.createDirectories(d.resolve("sub"));
        Files.writeString(d.resolve("a.txt"), "a".repeat(20000));
        Files.writeString(d.resolve("sub/b.txt"), "b");
        assertEquals(0, run("create", "d", "-o", "h.torrent", "--hybrid"), err.toString(StandardCharsets.UTF_8));
        assertTrue(out().contains("version:      hybrid (v1 + v2)\n"), out());
        assertTrue(out().contains("info-hash v2: "), out());
        assertEquals(0, run("info", "h.torrent"));
        assertTrue(out().contains("  .pad/12768  12.5 KiB (padding)\n"), out());
        assertEquals(0, run("create", "d", "-o", "v2.torrent", "--v2"), err.toString(StandardCharsets.UTF_8));
        assertTrue(out().contains("info-hash:    none (v2-only)\n"), out());
        assertTrue(out().contains("pieces:       3 x 16.0 KiB"), out());
        assertEquals(0, run("info", "v2.torrent"));
        assertTrue(out().contains("version:      v2\n"), out());
        assertEquals(0, run("create", "d", "-o", "v1.torrent"));
        assertTrue(out().contains("version:      v1\n") && !out().contains("info-hash v2"), out());
        assertEquals(2, run("create", "d", "-o", "x.torrent", "--v2", "--hybrid"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--v2 and --hybrid exclude each other"), err.toString());
    }
}
