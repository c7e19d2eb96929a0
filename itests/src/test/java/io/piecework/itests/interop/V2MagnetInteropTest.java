package io.piecework.itests.interop;

import static io.piecework.itests.interop.SeededPayload.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.TorrentVersion;
import io.piecework.metainfo.MagnetLinks;
import io.piecework.metainfo.MetainfoParser;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 52 magnets against libtorrent 2.0.8 on loopback, files byte for byte: Piecework, knowing
 * only a {@code btmh} link, gets a v2-only torrent's info dictionary (checked by SHA-256) and
 * then its piece layers by hash requests from a libtorrent seeder, and a hybrid's info
 * dictionary through the truncated v2 hash (then verified by its v1 hashes); libtorrent from a
 * btmh link gets a hybrid from a Piecework seeder. Multi-file, no file piece-aligned.
 */
class V2MagnetInteropTest {
    private static final long MIB = 1 << 20;
    @TempDir
    Path dir;
    Path seedDir;
    TorrentMetainfo meta;
    Path torrentFile;

    /** A torrent libtorrent makes of three files off every piece boundary, one of several layer chunks' worth. */
    private Path byLibtorrent(TorrentVersion version) throws Exception {
        seedDir = dir.resolve("seed");
        Path root = seedDir.resolve("payload");
        Payloads.file(root.resolve("video.mkv"), 9 * MIB + 12_345, 31);
        Payloads.file(root.resolve("extras/notes.txt"), 777_777, 32);
        Payloads.file(root.resolve("extras/tiny"), 5, 33);
        torrentFile = dir.resolve("made.torrent");
        // 16 KiB pieces: video.mkv has 578, so its layer takes two hash requests of up to 512.
        Libtorrent.run(Libtorrent.script("lt_meta.py", dir), 60, "create", root.toString(), torrentFile.toString(),
                Integer.toString(16 * 1024), version == TorrentVersion.V2 ? "--v2" : "--hybrid");
        meta = MetainfoParser.read(torrentFile);
        assertEquals(version, meta.version());
        return Libtorrent.script("lt_node.py", dir);
    }

    private static String btmh(TorrentMetainfo meta) {
        return "magnet:?xt=urn:btmh:1220" + meta.infoHashV2().orElseThrow().hex();
    }

    private void pieceworkFromLibtorrent(String magnet) throws Exception {
        Path node = Libtorrent.script("lt_node.py", dir);
        try (LibtorrentNode seeder = new LibtorrentNode(node, "seed", torrentFile, seedDir);
             InProcessEngine leecher = new InProcessEngine(dir.resolve("state"))) {
            TorrentHandle t = leecher.engine.add(MagnetLinks.parse(magnet), AddOptions.in(dir.resolve("down"))
                    .withPeers(List.of(loopback(seeder.port))));
            t.completion().get(240, TimeUnit.SECONDS);
            assertEquals(meta.version(), t.metainfo().version());
        }
        assertSameFiles(dir.resolve("down"));
    }

    @Test
    void pieceworkFromABtmhMagnetGetsAV2OnlyTorrentAndItsPieceLayersFromLibtorrent() throws Exception {
        byLibtorrent(TorrentVersion.V2);
        pieceworkFromLibtorrent(btmh(meta));
        // The layers came from libtorrent and are kept in the saved .torrent.
        TorrentMetainfo saved = MetainfoParser.read(dir.resolve("down/payload.torrent"));
        for (int i = 0; i < saved.files().size(); i++) {
            if (!saved.files().get(i).padding() && saved.files().get(i).length() > saved.pieceLength()) {
                assertNotNull(saved.v2Files().orElseThrow().layer(i), "layer of " + saved.files().get(i).path());
            }
        }
    }

    @Test
    void pieceworkFromABtmhMagnetGetsAHybridFromLibtorrent() throws Exception {
        byLibtorrent(TorrentVersion.HYBRID);
        pieceworkFromLibtorrent(btmh(meta));
    }

    @Test
    void pieceworkFromAMagnetWithBothHashesGetsAHybridFromLibtorrent() throws Exception {
        byLibtorrent(TorrentVersion.HYBRID);
        pieceworkFromLibtorrent("magnet:?xt=urn:btih:" + meta.infoHash().hex() + "&xt=urn:btmh:1220"
                + meta.infoHashV2().orElseThrow().hex());
    }

    @Test
    void libtorrentFromABtmhMagnetGetsAHybridFromPiecework() throws Exception {
        Path node = byLibtorrent(TorrentVersion.HYBRID);
        try (InProcessEngine seeder = new InProcessEngine(dir.resolve("state"))) {
            seeder.engine.add(meta, AddOptions.in(seedDir)).completion().get(120, TimeUnit.SECONDS);
            try (LibtorrentNode leecher = new LibtorrentNode(node, "leech", btmh(meta), dir.resolve("lt"),
                    "--peer", Integer.toString(seeder.port()))) {
                leecher.await("DONE", 240);
            }
        }
        assertSameFiles(dir.resolve("lt"));
    }

    private void assertSameFiles(Path downloadDir) throws Exception {
        LibtorrentSwarm.assertSameFiles(meta, seedDir, downloadDir);
    }
}
