package io.piecework.itests.interop;

import static io.piecework.itests.interop.SeededPayload.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Piecework and libtorrent exchange a 256 MiB multi-file torrent on loopback, in both
 * directions and in a three-peer swarm, and every file arrives byte for byte.
 */
class EngineInteropTest {
    static final long MIB = 1 << 20;

    @TempDir
    static Path shared;
    static SeededPayload payload;

    @TempDir
    Path dir;

    @BeforeAll
    static void makePayload() throws Exception {
        payload = SeededPayload.create(shared, 256 * 1024, root -> {
            Payloads.file(root.resolve("video.mkv"), 150 * MIB + 12_345, 11);
            Payloads.file(root.resolve("extras/commentary.flac"), 100 * MIB, 12);
            Payloads.file(root.resolve("extras/notes.txt"), 6 * MIB - 777, 13);
        });
    }

    @Test
    void pieceworkDownloadsFromALibtorrentSeeder() throws Exception {
        try (LibtorrentNode seeder = payload.libtorrentSeed();
             InProcessEngine leecher = new InProcessEngine(dir.resolve("state"))) {
            TorrentHandle t = leecher.engine.add(payload.meta(), AddOptions.in(dir.resolve("down"))
                    .withPeers(List.of(loopback(seeder.port))));
            t.completion().get(240, TimeUnit.SECONDS);
            payload.assertSameFiles(dir.resolve("down"));
        }
    }

    @ParameterizedTest(name = "sending from files: {0}")
    @ValueSource(booleans = {false, true})
    void libtorrentDownloadsFromAPieceworkSeeder(boolean sendFromFiles) throws Exception {
        try (InProcessEngine seeder = new InProcessEngine(dir.resolve("state"), sendFromFiles)) {
            TorrentHandle t = seeder.engine.add(payload.meta(), AddOptions.in(payload.seedDir()));
            t.completion().get(120, TimeUnit.SECONDS);
            try (LibtorrentNode leecher = payload.libtorrentLeech(dir.resolve("lt"),
                    "--peer", Integer.toString(seeder.port()))) {
                leecher.await("DONE", 240);
            }
            payload.assertSameFiles(dir.resolve("lt"));
        }
    }

    @Test
    void aSwarmOfLibtorrentSeederPieceworkLeecherAndLibtorrentLeecherCompletesForAll() throws Exception {
        try (LibtorrentNode seeder = payload.libtorrentSeed();
             InProcessEngine piecework = new InProcessEngine(dir.resolve("state"))) {
            TorrentHandle t = piecework.engine.add(payload.meta(), AddOptions.in(dir.resolve("pw"))
                    .withPeers(List.of(loopback(seeder.port))));
            try (LibtorrentNode leecher = payload.libtorrentLeech(dir.resolve("lt"),
                    "--peer", Integer.toString(seeder.port), "--peer", Integer.toString(piecework.port()))) {
                t.completion().get(240, TimeUnit.SECONDS);
                leecher.await("DONE", 240);
                assertEquals(true, t.stats().uploaded() >= 0);
            }
            payload.assertSameFiles(dir.resolve("pw"));
            payload.assertSameFiles(dir.resolve("lt"));
        }
    }
}
