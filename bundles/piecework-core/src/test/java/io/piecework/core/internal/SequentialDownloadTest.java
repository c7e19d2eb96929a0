package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.Priority;
import io.piecework.api.engine.TorrentEvent;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.metainfo.TorrentMetainfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sequential download: a peer with every piece, which never answers, sees the engine's requests
 * in the order the picker chose them. With sequential on they go 0, 1, 2, ...; without, rarest
 * first with a random tie-break (all pieces equally rare here) scatters them.
 */
class SequentialDownloadTest {
    /** Enough requests to tell an order from chance (the first requests of a fresh peer). */
    private static final int SEEN = 4;
    @TempDir
    Path dir;
    @RegisterExtension
    final LoopbackEngines engines = new LoopbackEngines(() -> dir);

    /** The pieces of the first requests a full peer gets, in order, one entry per piece. */
    private List<Integer> firstRequestedPieces(Engine engine, TorrentMetainfo meta) throws Exception {
        List<Integer> pieces = Collections.synchronizedList(new ArrayList<>());
        try (FakePeer peer = FakePeer.dial(engine.listenPort(), meta.infoHash(), meta.pieceCount())) {
            peer.onRequest = r -> {
                synchronized (pieces) {
                    if (pieces.isEmpty() || pieces.get(pieces.size() - 1) != r[0]) {
                        pieces.add(r[0]);
                    }
                }
            };
            peer.haveAll();
            peer.unchoke();
            assertTrue(LoopbackEngines.within(20_000, () -> pieces.size() >= SEEN), "requests came: " + pieces);
        }
        synchronized (pieces) {
            return List.copyOf(pieces.subList(0, SEEN));
        }
    }

    @Test
    void aSequentialTorrentRequestsPiecesInIndexOrder() throws Exception {
        TorrentMetainfo meta = IdleCrowd.torrent(dir);
        Engine engine = engines.engine("leecher");
        TorrentHandle t = engine.add(meta, new AddOptions(dir.resolve("down"), true, List.of()));
        List<TorrentEvent> settings = Collections.synchronizedList(new ArrayList<>());
        engine.addListener(e -> {
            if (e.kind() == TorrentEvent.Kind.SETTINGS_CHANGED) {
                settings.add(e);
            }
        });
        assertFalse(t.sequential());
        t.sequential(true); // set before the start, as a session restores it
        assertTrue(t.sequential());
        assertEquals(1, settings.size(), "a session hears of the change");
        t.start();
        assertTrue(LoopbackEngines.within(10_000, () -> t.stats().state() == TorrentState.DOWNLOADING));
        assertEquals(IntStream.range(0, SEEN).boxed().toList(), firstRequestedPieces(engine, meta));
    }

    @Test
    void lowPiecesComeAfterNormalOnes() throws Exception {
        TorrentMetainfo meta = IdleCrowd.torrent(dir);
        Engine engine = engines.engine("leecher");
        TorrentHandle t = engine.add(meta, new AddOptions(dir.resolve("down"), true, List.of()));
        int n = meta.pieceCount();
        for (int p = 0; p < n - SEEN; p++) {
            t.piecePriority(p, Priority.LOW);
        }
        t.start();
        assertTrue(LoopbackEngines.within(10_000, () -> t.stats().state() == TorrentState.DOWNLOADING));
        List<Integer> first = firstRequestedPieces(engine, meta);
        assertTrue(first.stream().allMatch(p -> p >= n - SEEN), "the normal pieces (the last " + SEEN
                + ") come first: " + first);
        assertEquals(meta.totalSize(), t.stats().wantedBytes(), "a low piece is still wanted");
    }

    @Test
    void withoutSequentialTheOrderIsNotTheIndexOrder() throws Exception {
        // The control: the probe above can tell the two orders apart.
        TorrentMetainfo meta = IdleCrowd.torrent(dir);
        Engine engine = engines.engine("leecher");
        TorrentHandle t = engine.add(meta, AddOptions.in(dir.resolve("down")));
        assertTrue(LoopbackEngines.within(10_000, () -> t.stats().state() == TorrentState.DOWNLOADING));
        assertNotEquals(IntStream.range(0, SEEN).boxed().toList(), firstRequestedPieces(engine, meta));
    }

    @Test
    void filePrioritiesReadBackAsSet() throws Exception {
        TorrentMetainfo meta = IdleCrowd.torrent(dir);
        Engine engine = engines.engine("leecher");
        TorrentHandle t = engine.add(meta, new AddOptions(dir.resolve("down"), true, List.of()));
        assertEquals(List.of(io.piecework.api.engine.Priority.NORMAL), t.filePriorities());
        t.filePriority(0, io.piecework.api.engine.Priority.SKIP);
        assertEquals(List.of(io.piecework.api.engine.Priority.SKIP), t.filePriorities());
        t.remove(false).get(10, TimeUnit.SECONDS);
    }
}
