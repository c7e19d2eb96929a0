package io.piecework.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.QueueLimits;
import io.piecework.api.engine.SeedLimits;
import io.piecework.api.engine.RateLimits;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.MagnetLink;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.core.internal.Engine;
import io.piecework.metainfo.internal.MetainfoComponent;
import io.piecework.storage.file.internal.FileStorageProvider;
import io.piecework.storage.file.internal.Settings;
import io.piecework.strategy.naive.NaiveStrategy;
import io.piecework.wire.internal.NettyPeerTransport;
import io.piecework.wire.internal.TransportSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/** The session between a real engine and its folder: what is saved is what comes back. */
class SessionTest {
    @TempDir
    Path dir;
    private final MetainfoService metainfo = new MetainfoComponent();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private Engine engine() throws Exception {
        NettyPeerTransport transport = new NettyPeerTransport(TransportSettings.defaults().withListen("127.0.0.1", 0),
                RoaringBitmap::new);
        open.add(transport);
        FileStorageProvider storage = new FileStorageProvider(Settings.DEFAULTS.withStateDir(dir.resolve("resume")));
        open.add(storage::close);
        Engine engine = new Engine(transport);
        open.add(engine);
        engine.useStorage(storage);
        engine.useStrategy(new NaiveStrategy(), "naive");
        return engine;
    }

    private TorrentMetainfo payload(String name, int seed) throws Exception {
        Path file = Files.createDirectories(dir.resolve("data-" + name)).resolve(name + ".bin");
        byte[] bytes = new byte[70_000];
        new java.util.Random(seed).nextBytes(bytes);
        Files.write(file, bytes);
        return metainfo.create(new CreateRequest(file, 16 * 1024, List.of(), List.of(), false, null, 1), CreateProgress.NONE);
    }

    @Test
    void restoresEachTorrentIntoItsFolderAndStateAndAMagnetAsItsLink() throws Exception {
        TorrentMetainfo running = payload("a", 1);
        TorrentMetainfo stopped = payload("c", 2);
        MagnetLink magnet = metainfo.parseMagnet("magnet:?xt=urn:btih:" + "cd".repeat(20) + "&dn=m&tr=http%3A%2F%2F127.0.0.1%3A1%2Fa");
        Engine first = engine();
        first.add(running, AddOptions.in(dir.resolve("data-a"))).completion().get(30, TimeUnit.SECONDS);
        first.add(stopped, new AddOptions(dir.resolve("data-c"), true, List.of()))
                .rateLimits(new RateLimits(10 << 20, 512 << 10));
        first.add(magnet, new AddOptions(dir.resolve("m"), true, List.of())).rateLimits(new RateLimits(0, 1 << 20));
        try (SessionStore store = SessionStore.open(dir.resolve("session"))) {
            new Session(first, metainfo, store).save();
            assertTrue(Files.isRegularFile(store.torrentFile(running.infoHash())));
            assertFalse(Files.exists(store.torrentFile(magnet.infoHash())), "a magnet without metadata is kept as its link");
        }
        first.close();

        Engine second = engine();
        try (SessionStore store = SessionStore.open(dir.resolve("session"))) {
            new Session(second, metainfo, store).restore();
        }
        assertEquals(3, second.torrents().size());
        TorrentHandle a = second.find(running.infoHash()).orElseThrow();
        assertEquals(dir.resolve("data-a"), a.downloadDir());
        a.completion().get(30, TimeUnit.SECONDS); // started again, and complete from its files
        TorrentHandle c = second.find(stopped.infoHash()).orElseThrow();
        assertEquals(TorrentState.STOPPED, c.stats().state(), "stopped stays stopped");
        assertEquals(dir.resolve("data-c"), c.downloadDir());
        assertEquals(new RateLimits(10 << 20, 512 << 10), c.rateLimits(), "its own limits come back");
        assertEquals(RateLimits.UNLIMITED, a.rateLimits());
        TorrentHandle m = second.find(magnet.infoHash()).orElseThrow();
        assertEquals(magnet, m.magnet().orElseThrow());
        assertEquals(new RateLimits(0, 1 << 20), m.rateLimits());
        assertEquals(TorrentState.STOPPED, m.stats().state());
    }

    @Test
    void aSavedTorrentOfAnotherHashIsRefusedAndTheOthersRestored() throws Exception {
        TorrentMetainfo a = payload("a", 1);
        TorrentMetainfo b = payload("b", 2);
        try (SessionStore store = SessionStore.open(dir.resolve("session"))) {
            store.saveTorrent(a.infoHash(), metainfo.encode(a));
            store.saveTorrent(b.infoHash(), metainfo.encode(a)); // b's name, a's bytes
            store.write(List.of(new SessionEntry(a.infoHash(), dir.resolve("data-a"), false, ""),
                    new SessionEntry(b.infoHash(), dir.resolve("data-b"), false, "")));
            Engine engine = engine();
            new Session(engine, metainfo, store).restore();
            assertEquals(List.of(a.infoHash()), engine.torrents().stream().map(TorrentHandle::infoHash).toList());
        }
    }

    @Test
    void torrentsRemovedFromTheEngineLeaveTheSessionWithTheirSavedFile() throws Exception {
        TorrentMetainfo a = payload("a", 1);
        Engine engine = engine();
        TorrentHandle handle = engine.add(a, new AddOptions(dir.resolve("data-a"), true, List.of()));
        try (SessionStore store = SessionStore.open(dir.resolve("session"))) {
            Session session = new Session(engine, metainfo, store);
            session.save();
            handle.remove(false).get(10, TimeUnit.SECONDS);
            session.save();
            assertEquals(List.of(), store.read());
            assertFalse(Files.exists(store.torrentFile(a.infoHash())));
        }
    }

    @Test
    void queueOrderSeedLimitsAndQueuedTorrentsComeBackWithTheSession() throws Exception {
        TorrentMetainfo a = payload("a", 1);
        TorrentMetainfo b = payload("b", 2);
        TorrentMetainfo c = payload("c", 3);
        QueueLimits noSlot = new QueueLimits(true, 0, false, 10, false, 2.0, false, 30);
        SeedLimits own = new SeedLimits(SeedLimits.Mode.SINGLE, 1.5, SeedLimits.Mode.UNLIMITED, 0);
        java.util.ArrayDeque<Runnable> tasks = new java.util.ArrayDeque<>();
        Engine first = engine();
        SessionQueue queue = new SessionQueue(first, noSlot, tasks::add, () -> 0L, l -> { }, () -> { });
        first.addListener(queue::onEvent);
        for (TorrentMetainfo t : List.of(a, b, c)) {
            first.add(t, new AddOptions(dir.resolve("data-" + t.name().charAt(0)), true, List.of()));
        }
        queue.move(List.of(c.infoHash()), io.piecework.api.engine.TorrentQueue.Move.TOP);
        queue.seedLimits(b.infoHash(), own);
        queue.restored(a.infoHash(), false); // known to be a download: no check first
        queue.start(a.infoHash(), false); // no download slot: it waits
        while (!tasks.isEmpty()) {
            tasks.poll().run();
        }
        assertTrue(queue.queued(a.infoHash()));
        try (SessionStore store = SessionStore.open(dir.resolve("session"))) {
            new Session(first, metainfo, store, queue).save();
            assertEquals(List.of(c.infoHash(), a.infoHash(), b.infoHash()),
                    store.read().stream().map(SessionEntry::infoHash).toList());
        }
        first.close();

        Engine second = engine();
        SessionQueue restored = new SessionQueue(second, noSlot, tasks::add, () -> 0L, l -> { }, () -> { });
        second.addListener(restored::onEvent);
        try (SessionStore store = SessionStore.open(dir.resolve("session"))) {
            new Session(second, metainfo, store, restored).restore();
        }
        while (!tasks.isEmpty()) {
            tasks.poll().run();
        }
        assertEquals(0, restored.position(c.infoHash()));
        assertEquals(1, restored.position(a.infoHash()));
        assertEquals(2, restored.position(b.infoHash()));
        assertEquals(own, restored.seedLimits(b.infoHash()));
        assertTrue(restored.queued(a.infoHash()), "still waiting for a slot");
        assertEquals(TorrentState.STOPPED, second.find(a.infoHash()).orElseThrow().stats().state());
        assertFalse(restored.wanted(b.infoHash()));
    }
}
