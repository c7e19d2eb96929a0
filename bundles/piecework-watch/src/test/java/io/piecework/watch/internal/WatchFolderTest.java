package io.piecework.watch.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.EngineStats;
import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.MagnetLink;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.internal.MetainfoComponent;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchFolderTest {
    private static final MetainfoService METAINFO = new MetainfoComponent();
    @TempDir
    Path dir;
    private Path watched;
    private final List<String> added = new ArrayList<>();
    private final List<AddOptions> options = new ArrayList<>();

    /** An engine that records adds; nothing else is asked of it. */
    private final TorrentEngine engine = new TorrentEngine() {
        @Override public TorrentHandle add(TorrentMetainfo metainfo, AddOptions o) {
            added.add(metainfo.name());
            options.add(o);
            return (TorrentHandle) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {TorrentHandle.class},
                    (proxy, method, args) -> null);
        }
        @Override public TorrentHandle add(MagnetLink magnet, AddOptions o) { throw new UnsupportedOperationException(); }
        @Override public Optional<TorrentHandle> find(InfoHash infoHash) { return Optional.empty(); }
        @Override public Optional<TorrentHandle> find(String prefix) { return Optional.empty(); }
        @Override public List<TorrentHandle> torrents() { return List.of(); }
        @Override public EngineStats stats() { return new EngineStats(0, 0, 0, 0, 0, 0); }
        @Override public int listenPort() { return -1; }
        @Override public Optional<String> strategy() { return Optional.empty(); }
    };

    @BeforeEach
    void setUp() throws Exception {
        watched = Files.createDirectories(dir.resolve("watch"));
    }

    private WatchFolder folder(WatchFolder.After after) {
        return new WatchFolder(engine, METAINFO, () -> null,
                new WatchFolder.Settings(watched, dir.resolve("downloads"), false, after, dir.resolve("done")));
    }

    private Path dropTorrent(String name) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data")).resolve(name + ".bin");
        Files.write(data, new byte[50_000]);
        TorrentMetainfo meta = METAINFO.create(CreateRequest.of(data), CreateProgress.NONE);
        return Files.write(watched.resolve(name + ".torrent"), METAINFO.encode(meta));
    }

    @Test
    void aDroppedTorrentIsAddedIntoTheDownloadFolderAndRenamed() throws Exception {
        Path file = dropTorrent("one");
        WatchFolder folder = folder(WatchFolder.After.RENAME);
        assertTrue(folder.handles(file));
        assertTrue(folder.take(file).isPresent());
        assertEquals(List.of("one.bin"), added);
        assertEquals(dir.resolve("downloads"), options.get(0).downloadDir());
        assertFalse(options.get(0).paused());
        assertFalse(Files.exists(file));
        assertTrue(Files.isRegularFile(watched.resolve("one.torrent.added")));
    }

    @Test
    void movedOrDeletedAsConfigured() throws Exception {
        Path one = dropTorrent("one");
        folder(WatchFolder.After.MOVE).take(one);
        assertTrue(Files.isRegularFile(dir.resolve("done/one.torrent")));
        Path two = dropTorrent("two");
        folder(WatchFolder.After.DELETE).take(two);
        assertFalse(Files.exists(two));
        assertEquals(List.of("one.bin", "two.bin"), added);
    }

    @Test
    void aBadFileIsRenamedInvalidAndNothingIsAdded() throws Exception {
        Path garbage = Files.writeString(watched.resolve("bad.torrent"), "d4:infod6:lengthi-5eee");
        Path cut = dropTorrent("cut");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(cut), 40));
        Path empty = Files.write(watched.resolve("empty.torrent"), new byte[0]);
        Path folderNamedLikeOne = Files.createDirectories(watched.resolve("dir.torrent"));
        WatchFolder folder = folder(WatchFolder.After.RENAME);
        for (Path p : List.of(garbage, cut, empty, folderNamedLikeOne)) {
            assertTrue(folder.take(p).isEmpty(), p.toString());
            assertFalse(Files.exists(p), p + " moved aside");
            assertTrue(Files.exists(p.resolveSibling(p.getFileName() + ".invalid")), p + " renamed .invalid");
        }
        assertEquals(List.of(), added);
    }

    @Test
    void onlyTorrentFilesDirectlyInTheFolderAreHandled() throws Exception {
        WatchFolder folder = folder(WatchFolder.After.RENAME);
        assertFalse(folder.handles(watched.resolve("x.torrent.added")));
        assertFalse(folder.handles(watched.resolve("notes.txt")));
        assertFalse(folder.handles(watched.resolve("sub/x.torrent")));
        assertFalse(folder.handles(dir.resolve("x.torrent")));
        assertTrue(folder.handles(watched.resolve("x.torrent")));
    }
}
