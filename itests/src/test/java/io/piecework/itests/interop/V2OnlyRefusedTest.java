package io.piecework.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.TorrentVersion;
import io.piecework.metainfo.MagnetLinks;
import io.piecework.metainfo.TorrentCreator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A btmh-only magnet carries no piece layers, and until peers can send them (BEP 52 hash
 * request / hashes) the engine could not verify its pieces: whoever adds one (rpc, web UI,
 * watch folder, shell) gets a clear refusal. A v2-only .torrent carries its layers: taken, and
 * its data on disk verifies by v2 hashes, so it seeds.
 */
class V2OnlyRefusedTest {
    @TempDir
    Path dir;

    @Test
    void theEngineTakesV2OnlyTorrentsButRefusesV2OnlyMagnetsClearly() throws Exception {
        Path data = Payloads.file(dir.resolve("seed/file.bin"), 100_000, 7);
        TorrentMetainfo v2 = TorrentCreator.create(new CreateRequest(data, 16384, List.of(), List.of(), false, null,
                1, TorrentVersion.V2), CreateProgress.NONE);
        try (InProcessEngine engine = new InProcessEngine(dir.resolve("state"))) {
            IOException e = assertThrows(IOException.class,
                    () -> engine.engine.add(MagnetLinks.of(v2), AddOptions.in(dir.resolve("down"))));
            assertTrue(e.getMessage().contains("v2-only magnet download not supported yet"), e.getMessage());
            assertEquals(0, engine.engine.torrents().size());

            TorrentHandle seed = engine.engine.add(v2, AddOptions.in(dir.resolve("seed")));
            seed.completion().get(60, TimeUnit.SECONDS);
            assertEquals(7, v2.pieceCount());
            assertEquals(v2.pieceCount(), seed.stats().piecesVerified(), "every piece verified by its Merkle tree");
        }
    }
}
