package io.piecework.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.TorrentVersion;
import io.piecework.metainfo.MagnetLinks;
import io.piecework.metainfo.TorrentCreator;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Until the v2 wire messages exist the engine cannot fetch a v2-only torrent, which has no v1
 * piece hashes: whoever adds one (rpc, web UI, watch folder, shell) gets a clear refusal, not
 * a torrent of zero pieces that reports itself complete with nothing on disk.
 */
class V2OnlyRefusedTest {
    @TempDir
    Path dir;

    @Test
    void theEngineRefusesV2OnlyTorrentsAndMagnetsClearly() throws Exception {
        Path data = Payloads.file(dir.resolve("seed/file.bin"), 100_000, 7);
        TorrentMetainfo v2 = TorrentCreator.create(CreateRequest.of(data).withVersion(TorrentVersion.V2),
                CreateProgress.NONE);
        try (InProcessEngine engine = new InProcessEngine(dir.resolve("state"))) {
            IOException e = assertThrows(IOException.class,
                    () -> engine.engine.add(v2, AddOptions.in(dir.resolve("down"))));
            assertTrue(e.getMessage().contains("v2-only download not supported yet"), e.getMessage());
            e = assertThrows(IOException.class,
                    () -> engine.engine.add(MagnetLinks.of(v2), AddOptions.in(dir.resolve("down"))));
            assertTrue(e.getMessage().contains("v2-only download not supported yet"), e.getMessage());
            assertEquals(0, engine.engine.torrents().size());
        }
    }
}
