package io.piecework.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.Priority;
import io.piecework.api.engine.QueueLimits;
import io.piecework.api.engine.RateLimits;
import io.piecework.api.engine.SeedLimits;
import io.piecework.api.engine.TorrentState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Labels, file priorities, sequential download and the totals of earlier runs: in the file and in the queue. */
class SessionKeptTest {
    private final QueueFakes engine = new QueueFakes();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final AtomicInteger saves = new AtomicInteger();

    private SessionQueue queue(QueueLimits limits) {
        SessionQueue q = new SessionQueue(engine, limits, tasks::add, () -> 1_000_000L, l -> { }, saves::incrementAndGet);
        engine.listener = q::onEvent;
        return q;
    }

    private void drain() {
        for (int i = 0; !tasks.isEmpty(); i++) {
            assertTrue(i < 1000);
            tasks.poll().run();
        }
    }

    private static SessionEntry kept(SessionEntry.Kept k) {
        SessionEntry e = SessionStoreTest.entry(1, true);
        return new SessionEntry(e.infoHash(), e.downloadDir(), true, "", SeedLimits.GLOBAL, false, RateLimits.UNLIMITED, k);
    }

    @Test
    void labelsPrioritiesSequentialAndTotalsRoundTrip() throws Exception {
        List<SessionEntry> entries = List.of(kept(new SessionEntry.Kept(List.of("linux", "iso ü"),
                List.of(Priority.NORMAL, Priority.SKIP, Priority.HIGH), true, 5_000, 2_000)),
                SessionStoreTest.entry(2, false));
        assertEquals(entries, SessionCodec.decode(SessionCodec.encode(entries)));
    }

    @Test
    void allNormalFilesAndNoLabelsTakeNoRoom() {
        byte[] plain = SessionCodec.encode(List.of(kept(SessionEntry.Kept.NONE)));
        byte[] normal = SessionCodec.encode(List.of(kept(new SessionEntry.Kept(List.of(),
                List.of(Priority.NORMAL, Priority.NORMAL), false, 0, 0))));
        assertEquals(new String(plain, StandardCharsets.ISO_8859_1), new String(normal, StandardCharsets.ISO_8859_1));
    }

    /** A session file of one torrent with {@code key} (bencoded, with its value) among its keys in sorted order. */
    private static String refused(String key, String value) {
        java.util.TreeMap<String, String> t = new java.util.TreeMap<>(java.util.Map.of(
                "dir", "7:/data/t", "hash", "40:" + "ab".repeat(20), "started", "i1e"));
        t.put(key, value);
        StringBuilder torrent = new StringBuilder("d");
        t.forEach((k, v) -> torrent.append(k.length()).append(':').append(k).append(v));
        String session = "d8:torrentsl" + torrent + "ee7:versioni1ee";
        return assertThrows(InvalidSessionException.class,
                () -> SessionCodec.decode(session.getBytes(StandardCharsets.ISO_8859_1))).getMessage();
    }

    @Test
    void aHandEditedFileWithBadLabelsOrPrioritiesIsRefused() {
        assertTrue(refused("files", "d1:ai1ee").contains("files"));
        assertTrue(refused("files", "2:\u0001\u0007").contains("priority 7"));
        assertTrue(refused("labels", "l3:a\u0007be").contains("control"));
        assertTrue(refused("labels", "li1ee").contains("label"));
        assertTrue(refused("labels", "l" + "1:x".repeat(65) + "e").contains("labels"));
        assertTrue(refused("uploaded", "i-1e").contains("uploaded"));
        assertTrue(refused("sequential", "i2e").contains("sequential"));
    }

    @Test
    void labelsAreCheckedKeptPerTorrentAndAskForASave() {
        SessionQueue q = queue(new QueueLimits(false, 5, false, 10, false, 2.0, false, 30));
        QueueFakes.Fake a = engine.add(1, false, true);
        drain();
        int before = saves.get();
        q.labels(a.hash, List.of(" movies ", "", "4k", "movies"));
        assertEquals(List.of("movies", "4k"), q.labels(a.hash), "trimmed, empty and repeated ones dropped");
        assertTrue(saves.get() > before, "the session saves them");
        assertThrows(IllegalArgumentException.class, () -> q.labels(a.hash, List.of("a\nb")));
        assertThrows(IllegalArgumentException.class, () -> q.labels(a.hash, List.of("a,b")));
        assertThrows(IllegalArgumentException.class, () -> q.labels(a.hash, List.of("x".repeat(129))));
        assertThrows(IllegalArgumentException.class, () -> q.labels(a.hash, java.util.Collections.nCopies(65, "x")));
        assertEquals(List.of("movies", "4k"), q.labels(a.hash), "a refused change changes nothing");
    }

    @Test
    void theRatioCountsTheUploadsOfEarlierRuns() {
        SessionQueue q = queue(new QueueLimits(false, 5, false, 10, true, 1.5, false, 30));
        QueueFakes.Fake seed = engine.add(1, true, true);
        // Restored: 1200 of its 1000 bytes were uploaded before the restart, 300 more now.
        q.earlierTotals(seed.hash, 1200, 0);
        q.start(seed.hash, false);
        drain();
        seed.uploaded = 299;
        q.rebalance();
        drain();
        assertEquals(TorrentState.SEEDING, seed.state);
        seed.uploaded = 300;
        q.rebalance();
        drain();
        assertEquals(TorrentState.STOPPED, seed.state, "1500 / 1000 over both runs reaches 1.5");
        assertTrue(q.finished(seed.hash));
        assertEquals(1500, q.totals(seed.hash, seed.stats())[0]);
        assertFalse(q.wanted(seed.hash));
    }
}
