package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.TorrentCreator;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two engines in one JVM, real sockets on loopback, real files: a whole transfer. */
class EngineLoopbackTest {
    @TempDir
    Path dir;
    private LoopbackEngines engines;

    @BeforeEach
    void startEngines() {
        engines = new LoopbackEngines(dir);
    }

    @AfterEach
    void close() throws Exception {
        engines.close();
    }

    private Engine engine(String name) throws Exception {
        return engines.engine(name);
    }

    @Test
    void leecherDownloadsAMultiFileTorrentFromASeederByteForByte() throws Exception {
        Path source = dir.resolve("seed/album");
        Random random = new Random(3);
        byte[] a = new byte[3_000_000];
        byte[] b = new byte[1_234_567];
        random.nextBytes(a);
        random.nextBytes(b);
        Files.createDirectories(source.resolve("sub"));
        Files.write(source.resolve("a.bin"), a);
        Files.write(source.resolve("sub/b.bin"), b);
        TorrentMetainfo meta = TorrentCreator.create(new CreateRequest(source, 64 * 1024, List.of(), List.of(),
                false, null, 1), CreateProgress.NONE);

        Engine seeder = engine("seeder");
        TorrentHandle seeding = seeder.add(meta, AddOptions.in(dir.resolve("seed")));
        seeding.completion().get(30, TimeUnit.SECONDS);
        assertEquals(TorrentState.SEEDING, seeding.stats().state());

        Engine leecher = engine("leecher");
        TorrentHandle leeching = leecher.add(meta, AddOptions.in(dir.resolve("down"))
                .withPeers(List.of(new InetSocketAddress("127.0.0.1", seeder.listenPort()))));
        leeching.completion().get(60, TimeUnit.SECONDS);

        assertArrayEquals(a, Files.readAllBytes(dir.resolve("down/album/a.bin")));
        assertArrayEquals(b, Files.readAllBytes(dir.resolve("down/album/sub/b.bin")));
        assertEquals(meta.pieceCount(), leeching.stats().piecesVerified());
    }
}
