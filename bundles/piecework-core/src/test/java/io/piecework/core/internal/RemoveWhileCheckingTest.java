package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.storage.TorrentStorage;
import io.piecework.metainfo.TorrentCreator;
import io.piecework.storage.file.internal.FileStorageProvider;
import io.piecework.storage.file.internal.Settings;
import io.piecework.strategy.naive.NaiveStrategy;
import io.piecework.wire.internal.NettyPeerTransport;
import io.piecework.wire.internal.TransportSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

class RemoveWhileCheckingTest {
    @TempDir
    Path dir;

    @Test
    void removeWhileTheStorageIsStillOpeningWaitsForItAndDeletesTheData() throws Exception {
        Path data = dir.resolve("data/file.bin");
        Files.createDirectories(data.getParent());
        Files.write(data, new byte[300_000]);
        TorrentMetainfo meta = TorrentCreator.create(new CreateRequest(data, 64 * 1024, List.of(), List.of(),
                false, null, 1), CreateProgress.NONE);

        // The real provider registers the storage as open at once; the engine hears of it only
        // when the test lets it, so the torrent is surely still CHECKING when it is removed.
        CompletableFuture<Void> release = new CompletableFuture<>();
        try (NettyPeerTransport transport = new NettyPeerTransport(
                TransportSettings.defaults().withListen("127.0.0.1", 0), RoaringBitmap::new)) {
            FileStorageProvider files = new FileStorageProvider(Settings.DEFAULTS.withStateDir(dir.resolve("state")));
            try (Engine engine = new Engine(transport, new EngineSettings(50, 500, 4, 10, 2))) {
                engine.useStorage((m, d) -> {
                    CompletableFuture<TorrentStorage> open = files.open(m, d);
                    return release.thenCompose(v -> open);
                });
                engine.useStrategy(new NaiveStrategy(), "naive");

                TorrentHandle torrent = engine.add(meta, AddOptions.in(dir.resolve("data")));
                assertEquals(TorrentState.CHECKING, torrent.stats().state());
                CompletableFuture<Void> removed = torrent.remove(true);
                assertFalse(removed.isDone(), "remove waits for the open in progress");

                release.complete(null);
                removed.get(10, TimeUnit.SECONDS);
                assertFalse(Files.exists(data), "the data was deleted");
                assertTrue(engine.torrents().isEmpty());
            } finally {
                files.close();
            }
        }
    }
}
