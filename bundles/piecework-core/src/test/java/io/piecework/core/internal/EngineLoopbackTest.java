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
import io.piecework.storage.file.internal.FileStorageProvider;
import io.piecework.storage.file.internal.Settings;
import io.piecework.strategy.naive.NaiveStrategy;
import io.piecework.wire.internal.NettyPeerTransport;
import io.piecework.wire.internal.TransportSettings;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/** Two engines in one JVM, real sockets on loopback, real files: a whole transfer. */
class EngineLoopbackTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new java.util.ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private Engine engine(String name) throws Exception {
        NettyPeerTransport transport = new NettyPeerTransport(
                TransportSettings.defaults().withListen("127.0.0.1", 0), RoaringBitmap::new);
        open.add(transport);
        FileStorageProvider storage = new FileStorageProvider(Settings.DEFAULTS.withStateDir(dir.resolve(name + "-state")));
        open.add(storage::close);
        Engine engine = new Engine(transport, new EngineSettings(50, 500, 4, 10, 2));
        open.add(engine);
        engine.useStorage(storage);
        engine.useStrategy(new NaiveStrategy(), "naive");
        return engine;
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
