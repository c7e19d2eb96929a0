package io.piecework.strategy.cached;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.strategy.UpdateReason;
import io.piecework.compare.ReferenceOrder;
import io.piecework.compare.SimulatedPeer;
import io.piecework.compare.SimulatedTorrent;
import io.piecework.compare.SwarmEvents;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** With nothing wanted the index holds no caches, and wakes exact when something is. */
class DormancyTest {
    @Test
    void aCompleteTorrentHoldsNoIndexAndIgnoresHaves() {
        SimulatedTorrent t = new SimulatedTorrent(16, 2, 3);
        CachedPicker picker = new CachedPicker(t);
        BitSet all = new BitSet();
        all.set(0, 16);
        SimulatedPeer p = locked(t, () -> t.connect(all, 8));
        locked(t, () -> {
            picker.peerPiecesReset(p);
            return null;
        });
        while (locked(t, () -> t.completePiece(0)) >= 0 || locked(t, () -> !allHad(t))) {
            picker.requestUpdate(p, UpdateReason.BLOCK_RECEIVED);
            locked(t, () -> {
                while (t.receive(p) >= 0) {
                    // every block in flight arrives
                }
                for (int c = t.completePiece(0); c >= 0; c = t.completePiece(0)) {
                    t.verify(c);
                    picker.pieceVerified(c);
                }
                return null;
            });
        }
        assertTrue(picker.dormant());
        SimulatedPeer q = locked(t, () -> {
            SimulatedPeer other = t.connect(all, 8);
            picker.peerPiecesReset(other);
            picker.peerGone(p);
            t.disconnect(p);
            return other;
        });
        long before = t.blocksRequested();
        picker.requestUpdate(q, UpdateReason.HAVE);
        assertEquals(before, t.blocksRequested());
        assertTrue(picker.dormant(), "still dormant after peers came and went");
        assertArrayEquals(new int[0], locked(t, picker::order));
    }

    @Test
    void skippingEverythingSleepsAndAPriorityChangeWakesItExact() {
        SimulatedTorrent t = new SimulatedTorrent(32, 2, 5);
        CachedPicker picker = new CachedPicker(t);
        SwarmEvents events = new SwarmEvents(t, 5, 6);
        for (int i = 0; i < 200; i++) {
            events.next(picker);
        }
        locked(t, () -> {
            for (int piece = 0; piece < 32; piece++) {
                t.priority(piece, 0);
            }
            picker.prioritiesChanged();
            return null;
        });
        assertTrue(picker.dormant());
        for (int i = 0; i < 50; i++) {
            events.next(picker);
        }
        locked(t, () -> {
            for (int piece = 0; piece < 32; piece += 3) {
                t.priority(piece, 2);
            }
            picker.prioritiesChanged();
            return null;
        });
        assertFalse(picker.dormant());
        assertArrayEquals(locked(t, () -> ReferenceOrder.compute(t)), locked(t, picker::order));
    }

    @Test
    void orderStaysExactThroughSleepsAndWakesOfARandomRun() {
        int dormantSteps = 0;
        for (long seed = 1; seed <= 6; seed++) {
            SimulatedTorrent t = new SimulatedTorrent(6, 2, seed);
            CachedPicker picker = new CachedPicker(t);
            SwarmEvents events = new SwarmEvents(t, seed, 4);
            for (int step = 0; step < 4000; step++) {
                SwarmEvents.Kind kind = events.next(picker);
                if (picker.dormant()) {
                    dormantSteps++;
                }
                assertArrayEquals(locked(t, () -> ReferenceOrder.compute(t)), locked(t, picker::order),
                        "seed " + seed + " step " + step + " after " + kind);
            }
        }
        assertTrue(dormantSteps > 100, "the runs went dormant: " + dormantSteps);
    }

    private static boolean allHad(SimulatedTorrent t) {
        for (int piece = 0; piece < t.pieceCount(); piece++) {
            if (!t.have(piece)) {
                return false;
            }
        }
        return true;
    }

    private static <T> T locked(SimulatedTorrent t, java.util.function.Supplier<T> body) {
        t.lock().lock();
        try {
            return body.get();
        } finally {
            t.lock().unlock();
        }
    }
}
