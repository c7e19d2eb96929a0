package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.TorrentCreator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeder that says it has everything, unchokes and then rejects every request: the
 * downloader must back off from it rather than re-request as fast as the rejects come back.
 */
class RejectStormTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final LoopbackEngines engines = new LoopbackEngines(() -> dir);

    @Test
    void requestsToAPeerThatRejectsEverythingStayFew() throws Exception {
        Path data = dir.resolve("seed/data.bin");
        byte[] b = new byte[4_000_000];
        new Random(3).nextBytes(b);
        Files.createDirectories(data.getParent());
        Files.write(data, b);
        TorrentMetainfo meta = TorrentCreator.create(new CreateRequest(data, 64 * 1024, List.of(), List.of(), false,
                null, 1), CreateProgress.NONE);
        Engine leecher = engines.engine("leecher");
        TorrentHandle leeching = leecher.add(meta, AddOptions.in(dir.resolve("down")));
        assertTrue(LoopbackEngines.within(10_000, () -> ((Torrent) leeching).storage() != null), "torrent open");

        long started = System.nanoTime();
        int requests;
        try (FakePeer seeder = FakePeer.dial(leecher.listenPort(), meta.infoHash(), meta.pieceCount())) {
            seeder.onRequest = r -> {
                try {
                    seeder.reject(r[0], r[1], r[2]);
                } catch (IOException e) {
                    // The engine hung up: nothing left to reject.
                }
            };
            seeder.haveAll();
            seeder.unchoke();
            // Watch for ten seconds, or until the engine gives up on the peer.
            LoopbackEngines.within(10_000, () -> seeder.closed);
            requests = seeder.requests.get();
        }
        double seconds = Math.max(1, (System.nanoTime() - started) / 1e9);
        assertTrue(requests > 0, "the leecher asked at all");
        // Unchecked, the leecher re-requests each rejected block at once: over 100,000 a second.
        // Backing off, it sends a pipeline or less per pause; 100 a second is a wide margin.
        assertTrue(requests / seconds < 100, requests + " requests in " + seconds + " s");
    }
}
