package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.bitmap.BitmapLease;
import io.piecework.api.bitmap.BitmapPool;
import io.piecework.api.bitmap.PoolStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/** Peers' piece sets come from the engine's bitmap pool and go back exactly once when peers leave. */
class PieceSetPoolTest {
    /** Set in every released bitmap: a write through a kept reference changes its cardinality. */
    private static final int POISON = 1 << 30;

    @TempDir
    Path dir;

    /** Records its loans; poisons what comes back, so any later use shows. */
    static final class RecordingPool implements BitmapPool {
        final Set<RoaringBitmap> out = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        final List<RoaringBitmap> released = Collections.synchronizedList(new ArrayList<>());
        volatile int unknownReleases;

        @Override
        public RoaringBitmap take() {
            RoaringBitmap b = new RoaringBitmap();
            out.add(b);
            return b;
        }

        @Override
        public boolean release(RoaringBitmap bitmap) {
            if (!out.remove(bitmap)) {
                unknownReleases++; // twice, or never lent
                return false;
            }
            bitmap.clear();
            bitmap.add(POISON);
            released.add(bitmap);
            return true;
        }

        @Override
        public BitmapLease acquire() {
            throw new UnsupportedOperationException();
        }

        @Override
        public PoolStats stats() {
            return new PoolStats(0, 0, 0, 0, 0, 0, 0, 0, 0);
        }

        void assertNoneTouchedAfterRelease() {
            synchronized (released) {
                for (RoaringBitmap b : released) {
                    assertEquals(RoaringBitmap.bitmapOf(POISON), b, "written to after its release");
                }
            }
        }
    }

    @Test
    void aChurnedPeersPieceSetGoesBackToThePoolOnceAndIsNeverUsedAfter() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 8)) {
            RecordingPool pool = new RecordingPool();
            h.engine.useBitmapPool(pool);
            for (int round = 0; round < 20; round++) {
                PeerSession p = (PeerSession) h.torrent.connected(new FakeConnection());
                RoaringBitmap bitfield = pool.take(); // as the transport takes it for the decoder
                bitfield.add(0L, 5L);
                p.onBitfield(bitfield);
                p.onHave(6);
                assertTrue(p.has(6));
                if (round % 2 == 0) { // a second bitfield replaces the first: that one goes back
                    RoaringBitmap again = pool.take();
                    again.add(1L, 3L);
                    p.onBitfield(again);
                    assertTrue(pool.released.stream().anyMatch(b -> b == bitfield));
                    assertFalse(p.has(0));
                }
                RoaringBitmap held = p.pieces;
                p.onClosed("churn");
                assertTrue(pool.released.stream().anyMatch(b -> b == held), "round " + round);
                assertFalse(p.has(POISON), "the session no longer reads a released set");

                // Messages still on their way when it closed: nothing taken is kept, nothing released is written.
                p.onHave(7);
                p.onBitfield(pool.take());
                assertFalse(p.has(7));
            }
            assertEquals(Set.of(), Set.copyOf(pool.out), "every piece set went back");
            assertEquals(0, pool.unknownReleases, "none went back twice");
            assertEquals(20 + 10 + 20, pool.released.size());
            pool.assertNoneTouchedAfterRelease();
        }
    }

    @Test
    void aFirstHaveTakesAPieceSetAndHaveAllOrNoneTakeNone() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 8)) {
            RecordingPool pool = new RecordingPool();
            h.engine.useBitmapPool(pool);
            PeerSession haves = (PeerSession) h.torrent.connected(new FakeConnection());
            haves.onHave(2);
            haves.onHave(3);
            assertEquals(1, pool.out.size());
            assertSame(haves.pieces, pool.out.iterator().next());
            assertEquals(RoaringBitmap.bitmapOf(2, 3), haves.pieces);

            PeerSession seed = (PeerSession) h.torrent.connected(new FakeConnection());
            seed.onHaveAll();
            PeerSession empty = (PeerSession) h.torrent.connected(new FakeConnection());
            empty.onHaveNone();
            assertTrue(seed.has(5));
            assertFalse(empty.has(5));
            assertEquals(1, pool.out.size(), "a seed's or an empty peer's set is nobody's bitmap");

            haves.onClosed("gone");
            seed.onClosed("gone");
            empty.onClosed("gone");
            assertEquals(Set.of(), Set.copyOf(pool.out));
            assertEquals(0, pool.unknownReleases);
            assertEquals(RoaringBitmap.bitmapOf(), Swarm.NO_PIECES, "the shared empty set was never written");
        }
    }

    @Test
    void aSeedKeepsNoPieceSetWhetherItsBitfieldOrItsHavesMadeItOne() throws Exception {
        // Each seed's set of every piece is heap the seed flag already answers for.
        try (TorrentHarness h = new TorrentHarness(dir, 8)) {
            RecordingPool pool = new RecordingPool();
            h.engine.useBitmapPool(pool);
            PeerSession full = (PeerSession) h.torrent.connected(new FakeConnection());
            RoaringBitmap every = pool.take();
            every.add(0L, 8L);
            full.onBitfield(every);
            assertTrue(full.has(7));
            assertEquals(8, full.piecesHeld());
            assertTrue(pool.released.stream().anyMatch(b -> b == every), "a full bitfield goes back at once");

            PeerSession grows = (PeerSession) h.torrent.connected(new FakeConnection());
            RoaringBitmap most = pool.take();
            most.add(0L, 7L);
            grows.onBitfield(most);
            assertFalse(grows.has(7));
            grows.onHave(7);
            assertTrue(grows.has(7));
            assertTrue(grows.has(0));
            assertEquals(8, grows.piecesHeld());
            assertTrue(pool.released.stream().anyMatch(b -> b == most), "the have that completes it gives the set back");

            assertEquals(Set.of(), Set.copyOf(pool.out), "no seed holds a set");
            full.onClosed("gone");
            grows.onClosed("gone");
            assertEquals(0, pool.unknownReleases, "none went back twice");
            pool.assertNoneTouchedAfterRelease();
        }
    }
}
