package io.piecework.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.Priority;
import io.piecework.api.engine.QueueLimits;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.core.internal.Engine;
import io.piecework.metainfo.internal.MetainfoComponent;
import io.piecework.storage.file.internal.FileStorageProvider;
import io.piecework.storage.file.internal.Settings;
import io.piecework.strategy.naive.NaiveStrategy;
import io.piecework.wire.internal.NettyPeerTransport;
import io.piecework.wire.internal.TransportSettings;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * Per-file priorities, sequential download and labels set before a restart come back after it,
 * and a file unwanted before the restart is not downloaded after it (from a loopback seeder).
 */
class SessionFilesRestoreTest {
    private static final int PIECE = 16 * 1024;
    @TempDir
    Path dir;
    private final MetainfoService metainfo = new MetainfoComponent();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private Engine engine(String name) throws Exception {
        NettyPeerTransport transport = new NettyPeerTransport(TransportSettings.defaults().withListen("127.0.0.1", 0),
                RoaringBitmap::new);
        open.add(transport);
        FileStorageProvider storage = new FileStorageProvider(Settings.DEFAULTS.withStateDir(dir.resolve(name + "-resume")));
        open.add(storage::close);
        Engine engine = new Engine(transport);
        open.add(engine);
        engine.useStorage(storage);
        engine.useStrategy(new NaiveStrategy(), "naive");
        return engine;
    }

    private SessionQueue queue(Engine engine) {
        SessionQueue q = new SessionQueue(engine, new QueueLimits(false, 5, false, 10, false, 2.0, false, 30),
                tasks::add, System::currentTimeMillis, l -> { }, () -> { });
        engine.addListener(q::onEvent);
        return q;
    }

    private void drain() {
        while (!tasks.isEmpty()) {
            tasks.poll().run();
        }
    }

    /** Two files on piece boundaries (4 and 3 pieces), so the unwanted one shares no piece. */
    private TorrentMetainfo twoFiles() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("seed/pair"));
        Random random = new Random(7);
        for (String[] f : new String[][] {{"a.bin", "4"}, {"b.bin", "3"}}) {
            byte[] bytes = new byte[Integer.parseInt(f[1]) * PIECE];
            random.nextBytes(bytes);
            Files.write(folder.resolve(f[0]), bytes);
        }
        return metainfo.create(new CreateRequest(folder, PIECE, List.of(), List.of(), false, null, 1), CreateProgress.NONE);
    }

    @Test
    void unwantedFilesSequentialAndLabelsComeBackAndTheUnwantedFileIsNotDownloaded() throws Exception {
        TorrentMetainfo meta = twoFiles();
        assertEquals(2, meta.files().size());
        int skipped = meta.files().get(0).displayPath().equals("b.bin") ? 0 : 1;
        Engine first = engine("first");
        SessionQueue firstQueue = queue(first);
        TorrentHandle added = first.add(meta, new AddOptions(dir.resolve("down"), true, List.of()));
        added.filePriority(skipped, Priority.SKIP);
        added.sequential(true);
        firstQueue.labels(meta.infoHash(), List.of("restart", "two files"));
        drain();
        try (SessionStore store = SessionStore.open(dir.resolve("session"))) {
            new Session(first, metainfo, store, firstQueue).save();
        }
        first.close();

        Engine seeder = engine("seeder");
        seeder.add(meta, AddOptions.in(dir.resolve("seed"))).completion().get(30, TimeUnit.SECONDS);
        Engine second = engine("second");
        SessionQueue secondQueue = queue(second);
        try (SessionStore store = SessionStore.open(dir.resolve("session"))) {
            new Session(second, metainfo, store, secondQueue).restore();
        }
        TorrentHandle t = second.find(meta.infoHash()).orElseThrow();
        List<Priority> expected = new ArrayList<>(Arrays.asList(Priority.NORMAL, Priority.NORMAL));
        expected.set(skipped, Priority.SKIP);
        assertEquals(expected, t.filePriorities());
        assertTrue(t.sequential());
        assertEquals(List.of("restart", "two files"), secondQueue.labels(meta.infoHash()));

        secondQueue.start(meta.infoHash(), false);
        drain();
        t.connect(new InetSocketAddress("127.0.0.1", seeder.listenPort()));
        t.completion().get(60, TimeUnit.SECONDS);
        long wanted = meta.files().get(1 - skipped).length();
        assertEquals(wanted, t.stats().verifiedBytes(), "only the wanted file's pieces");
        Path unwanted = dir.resolve("down/pair").resolve(meta.files().get(skipped).displayPath());
        assertFalse(Files.exists(unwanted) && Files.size(unwanted) > 0
                && Arrays.equals(Files.readAllBytes(unwanted), Files.readAllBytes(dir.resolve("seed/pair/b.bin"))),
                "the unwanted file was not downloaded");
    }
}
