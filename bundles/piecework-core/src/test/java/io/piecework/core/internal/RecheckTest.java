package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

class RecheckTest {
    private static final int PIECE = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void verifyFindsAPieceDamagedOnDiskAndTheTorrentRunsAgainWithoutIt() throws Exception {
        Path data = dir.resolve("data/file.bin");
        Files.createDirectories(data.getParent());
        byte[] bytes = new byte[5 * PIECE];
        new Random(7).nextBytes(bytes);
        Files.write(data, bytes);
        TorrentMetainfo meta = TorrentCreator.create(new CreateRequest(data, PIECE, List.of(), List.of(),
                false, null, 1), CreateProgress.NONE);
        try (NettyPeerTransport transport = new NettyPeerTransport(
                TransportSettings.defaults().withListen("127.0.0.1", 0), RoaringBitmap::new)) {
            FileStorageProvider files = new FileStorageProvider(Settings.DEFAULTS.withStateDir(dir.resolve("state")));
            try (Engine engine = new Engine(transport, new EngineSettings(50, 500, 4, 10, 2))) {
                engine.useStorage(files::open);
                engine.useStrategy(new NaiveStrategy(), "naive");
                TorrentHandle torrent = engine.add(meta, AddOptions.in(dir.resolve("data")));
                assertTrue(LoopbackEngines.within(10_000, () -> torrent.stats().state() == TorrentState.SEEDING));

                // Behind the storage's back, as a disk error or another program would: piece 2 is damaged.
                try (RandomAccessFile file = new RandomAccessFile(data.toFile(), "rw")) {
                    file.seek(2L * PIECE + 100);
                    file.write(~bytes[2 * PIECE + 100]);
                }
                torrent.verify().get(10, TimeUnit.SECONDS);

                assertTrue(LoopbackEngines.within(10_000, () -> torrent.stats().state() == TorrentState.DOWNLOADING),
                        "it runs again, now missing a piece: " + torrent.stats().state());
                assertEquals(4, torrent.stats().piecesVerified());
            } finally {
                files.close();
            }
        }
    }

    @Test
    void aStoppedTorrentIsCheckedAndStaysStopped() throws Exception {
        Path data = dir.resolve("data/file.bin");
        Files.createDirectories(data.getParent());
        Files.write(data, new byte[3 * PIECE]);
        TorrentMetainfo meta = TorrentCreator.create(new CreateRequest(data, PIECE, List.of(), List.of(),
                false, null, 1), CreateProgress.NONE);
        try (NettyPeerTransport transport = new NettyPeerTransport(
                TransportSettings.defaults().withListen("127.0.0.1", 0), RoaringBitmap::new)) {
            FileStorageProvider files = new FileStorageProvider(Settings.DEFAULTS.withStateDir(dir.resolve("state")));
            try (Engine engine = new Engine(transport, new EngineSettings(50, 500, 4, 10, 2))) {
                engine.useStorage(files::open);
                engine.useStrategy(new NaiveStrategy(), "naive");
                TorrentHandle torrent = engine.add(meta, new AddOptions(dir.resolve("data"), true, List.of()));
                Files.write(data, new byte[PIECE]); // cut short: two pieces gone

                torrent.verify().get(10, TimeUnit.SECONDS);
                assertEquals(TorrentState.STOPPED, torrent.stats().state());
                torrent.start();
                assertTrue(LoopbackEngines.within(10_000, () -> torrent.stats().state() == TorrentState.DOWNLOADING));
                assertEquals(1, torrent.stats().piecesVerified());
            } finally {
                files.close();
            }
        }
    }
}
