package io.piecework.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.MagnetLink;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.TorrentVersion;
import io.piecework.metainfo.MagnetLinks;
import io.piecework.metainfo.TorrentCreator;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine takes both ways in to a v2-only torrent: a .torrent carries its piece layers, and
 * its data on disk verifies by v2 hashes, so it seeds; a btmh-only magnet (once refused, as no
 * piece could verify) is taken too, its layers to come from peers by BEP 52 hash requests (see
 * V2MagnetInteropTest for the download).
 */
class V2OnlyAddTest {
    @TempDir
    Path dir;

    @Test
    void theEngineTakesV2OnlyTorrentsAndV2OnlyMagnets() throws Exception {
        Path data = Payloads.file(dir.resolve("seed/file.bin"), 100_000, 7);
        TorrentMetainfo v2 = TorrentCreator.create(new CreateRequest(data, 16384, List.of(), List.of(), false, null,
                1, TorrentVersion.V2), CreateProgress.NONE);
        try (InProcessEngine engine = new InProcessEngine(dir.resolve("state"))) {
            TorrentHandle seed = engine.engine.add(v2, AddOptions.in(dir.resolve("seed")));
            seed.completion().get(60, TimeUnit.SECONDS);
            assertEquals(7, v2.pieceCount());
            assertEquals(v2.pieceCount(), seed.stats().piecesVerified(), "every piece verified by its Merkle tree");
        }
        try (InProcessEngine engine = new InProcessEngine(dir.resolve("state2"))) {
            MagnetLink magnet = MagnetLinks.of(v2);
            assertTrue(magnet.v2Only());
            TorrentHandle added = engine.engine.add(magnet, AddOptions.in(dir.resolve("down")));
            assertEquals(magnet.infoHash(), added.infoHash(), "known by the truncated v2 hash the wire carries");
            assertEquals(Optional.empty(), added.stats().error());
        }
    }
}
