package io.piecework.strategy.cached;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.strategy.Picker;
import io.piecework.strategy.naive.NaiveStrategy;
import io.piecework.compare.ReferenceOrder;
import io.piecework.compare.SimulatedPeer;
import io.piecework.compare.SimulatedTorrent;
import io.piecework.compare.SwarmEvents;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CachedPickerTest {
    @Test
    void orderEqualsTheRecomputedOrderAfterEveryEventOfALongRandomRun() {
        for (long seed = 1; seed <= 3; seed++) {
            SimulatedTorrent t = new SimulatedTorrent(1500, 4, seed);
            CachedPicker picker = new CachedPicker(t);
            SwarmEvents events = new SwarmEvents(t, seed, 12);
            Map<SwarmEvents.Kind, Integer> seen = new EnumMap<>(SwarmEvents.Kind.class);
            for (int step = 0; step < 15_000; step++) {
                SwarmEvents.Kind kind = events.next(picker);
                seen.merge(kind, 1, Integer::sum);
                assertExact(t, picker, "seed " + seed + " step " + step + " after " + kind);
            }
            assertEquals(SwarmEvents.Kind.values().length, seen.size(), "every kind of event ran: " + seen);
            assertTrue(t.blocksRequested() > 1000, "the run requested blocks");
        }
    }

    @Test
    void orderStaysExactWhenCheckedOnlyNowAndThen() {
        // Checking reconciles partial pieces; checking rarely lets stale state pile up first.
        SimulatedTorrent t = new SimulatedTorrent(800, 3, 11);
        CachedPicker picker = new CachedPicker(t);
        SwarmEvents events = new SwarmEvents(t, 11, 20);
        for (int step = 0; step < 20_000; step++) {
            events.next(picker);
            if (step % 97 == 0) {
                assertExact(t, picker, "step " + step);
            }
        }
    }

    @Test
    void requestsExactlyWhatTheNaiveStrategyRequests() {
        SimulatedTorrent naive = new SimulatedTorrent(600, 4, 5);
        SimulatedTorrent cached = new SimulatedTorrent(600, 4, 5);
        List<String> naiveLog = naive.recordRequests();
        List<String> cachedLog = cached.recordRequests();
        Picker a = new NaiveStrategy().open(naive);
        Picker b = new CachedStrategy().open(cached);
        SwarmEvents ea = new SwarmEvents(naive, 9, 15);
        SwarmEvents eb = new SwarmEvents(cached, 9, 15);
        for (int step = 0; step < 10_000; step++) {
            ea.next(a);
            eb.next(b);
            assertEquals(naiveLog.size(), cachedLog.size(), "step " + step);
        }
        assertEquals(naiveLog, cachedLog);
        assertTrue(naiveLog.size() > 1000, "the run requested blocks: " + naiveLog.size());
    }

    @Test
    void aPickerOpenedMidRunBuildsItsCachesFromTheViews() {
        SimulatedTorrent t = new SimulatedTorrent(500, 4, 3);
        SwarmEvents events = new SwarmEvents(t, 3, 10);
        Picker naive = new NaiveStrategy().open(t);
        for (int step = 0; step < 3000; step++) {
            events.next(naive);
        }
        naive.close();
        CachedPicker swapped = new CachedPicker(t);
        assertExact(t, swapped, "right after the swap");
        for (int step = 0; step < 3000; step++) {
            events.next(swapped);
            assertExact(t, swapped, "step " + step);
        }
    }

    @Test
    void aDuplicateHaveIsCountedOnceAndAGonePeerIsSubtracted() {
        SimulatedTorrent t = new SimulatedTorrent(8, 1, 1);
        CachedPicker picker = new CachedPicker(t);
        t.lock().lock();
        try {
            BitSet none = new BitSet();
            SimulatedPeer a = t.connect(none, 4);
            picker.peerPiecesReset(a);
            SimulatedPeer b = t.connect(none, 4);
            picker.peerPiecesReset(b);
            t.announce(a, 5);
            picker.peerHas(a, 5);
            picker.peerHas(a, 5);
            t.announce(b, 5);
            picker.peerHas(b, 5);
            assertExact(t, picker, "two peers have piece 5");
            t.disconnect(a);
            picker.peerGone(a);
            assertExact(t, picker, "one peer left with piece 5");
            assertEquals(5, picker.order()[7], "piece 5, held by one peer, is the most common");
        } finally {
            t.lock().unlock();
        }
    }

    @Test
    void aPieceWhoseRequestsAreAllDroppedIsNoLongerPartial() {
        SimulatedTorrent t = new SimulatedTorrent(16, 4, 2);
        CachedPicker picker = new CachedPicker(t);
        BitSet all = new BitSet();
        all.set(0, 16);
        SimulatedPeer p;
        t.lock().lock();
        try {
            p = t.connect(all, 2);
            picker.peerPiecesReset(p);
        } finally {
            t.lock().unlock();
        }
        picker.requestUpdate(p, 0);
        t.lock().lock();
        try {
            int first = picker.order()[0];
            assertTrue(t.partial(first), "the requested piece is partial and first");
            t.dropAll(p);
            assertExact(t, picker, "after the requests timed out");
        } finally {
            t.lock().unlock();
        }
    }

    private static void assertExact(SimulatedTorrent t, CachedPicker picker, String when) {
        t.lock().lock();
        try {
            assertArrayEquals(ReferenceOrder.compute(t), picker.order(), when);
        } finally {
            t.lock().unlock();
        }
    }
}
