package io.piecework.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.TorrentVersion;
import io.piecework.metainfo.MetainfoParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A libtorrent 2.0.8 leecher that knows only a {@code btmh} magnet gets the info dictionary from
 * a Piecework seeder over ut_metadata, and the piece layers (not in the info dictionary) by BEP 52
 * hash requests that Piecework answers: without those answers libtorrent cannot check a single
 * piece of the v2-only torrent and never finishes.
 */
class V2MagnetHashesInteropTest {
    @TempDir
    Path dir;

    @Test
    void libtorrentFromABtmhMagnetGetsPieceLayersFromPiecework() throws Exception {
        Path seedDir = dir.resolve("seed");
        Path payload = seedDir.resolve("payload.bin");
        Payloads.file(payload, 2 * 1024 * 1024 + 777, 41); // 33 pieces of 64 KiB: a piece layer
        Path torrentFile = dir.resolve("v2.torrent");
        Libtorrent.run(Libtorrent.script("lt_meta.py", dir), 60, "create", payload.toString(),
                torrentFile.toString(), Integer.toString(64 * 1024), "--v2");
        TorrentMetainfo meta = MetainfoParser.read(torrentFile);
        assertEquals(TorrentVersion.V2, meta.version());
        String magnet = "magnet:?xt=urn:btmh:1220" + meta.infoHashV2().orElseThrow().hex();
        try (InProcessEngine seeder = new InProcessEngine(dir.resolve("state"))) {
            TorrentHandle t = seeder.engine.add(meta, AddOptions.in(seedDir));
            t.completion().get(120, TimeUnit.SECONDS);
            try (LibtorrentNode leecher = new LibtorrentNode(Libtorrent.script("lt_node.py", dir), "leech", magnet,
                    dir.resolve("lt"), "--peer", Integer.toString(seeder.port()))) {
                leecher.await("DONE", 180);
            }
        }
        assertEquals(-1L, Files.mismatch(payload, dir.resolve("lt").resolve("payload.bin")));
    }
}
