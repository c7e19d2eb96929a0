package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Two engines in one JVM, real sockets on loopback, real files: a whole transfer. */
class EngineLoopbackTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final LoopbackEngines engines = new LoopbackEngines(() -> dir);

    @Test
    void leecherDownloadsAMultiFileTorrentFromASeederByteForByte() throws Exception {
        Torrent seeding = transfer(engines.engine("seeder"));
        assertEquals(0, seeding.uploads.bytesSentFromFiles.sum(), "by default every block is copied");
    }

    @Test
    void sendingFromFilesSendsEveryBlockInsideOneFileFromIt() throws Exception {
        Torrent seeding = transfer(engines.engine("seeder", EngineSettings.defaults().withSendFromFiles(true)));
        long fromFiles = seeding.uploads.bytesSentFromFiles.sum();
        assertTrue(fromFiles > 0, "blocks inside one file were sent from it");
        assertTrue(fromFiles < seeding.uploaded.total(), "the block across the two files was copied");
    }

    /** Seeds a two-file torrent whose file boundary falls inside a block, and downloads it. */
    private Torrent transfer(Engine seeder) throws Exception {
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

        TorrentHandle seeding = seeder.add(meta, AddOptions.in(dir.resolve("seed")));
        seeding.completion().get(30, TimeUnit.SECONDS);
        assertEquals(TorrentState.SEEDING, seeding.stats().state());

        Engine leecher = engines.engine("leecher");
        TorrentHandle leeching = leecher.add(meta, AddOptions.in(dir.resolve("down"))
                .withPeers(List.of(new InetSocketAddress("127.0.0.1", seeder.listenPort()))));
        leeching.completion().get(60, TimeUnit.SECONDS);

        assertArrayEquals(a, Files.readAllBytes(dir.resolve("down/album/a.bin")));
        assertArrayEquals(b, Files.readAllBytes(dir.resolve("down/album/sub/b.bin")));
        assertEquals(meta.pieceCount(), leeching.stats().piecesVerified());
        Torrent torrent = (Torrent) seeding;
        // The seeder counts a block just after handing it over: let the last count land.
        assertTrue(LoopbackEngines.within(10_000, () -> torrent.uploaded.total() >= a.length + b.length));
        return torrent;
    }
}
