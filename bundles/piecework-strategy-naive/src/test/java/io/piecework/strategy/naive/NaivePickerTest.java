package io.piecework.strategy.naive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.strategy.Picker;
import io.piecework.compare.SimulatedPeer;
import io.piecework.compare.SimulatedTorrent;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class NaivePickerTest {
    @Test
    void requestsTheRarestPieceFirst() {
        SimulatedTorrent t = new SimulatedTorrent(3, 1, 7);
        SimulatedPeer p = connect(t, 1, 0, 1, 2);
        connect(t, 1, 0, 1);
        connect(t, 1, 0);
        List<String> log = t.recordRequests();
        new NaiveStrategy().open(t).requestUpdate(p, 0);
        assertEquals(List.of(p.id() + ":2x1"), log);
    }

    @Test
    void ordersByPriorityThenPartialThenAvailability() {
        SimulatedTorrent t = new SimulatedTorrent(4, 2, 7);
        SimulatedPeer p = connect(t, 10, 0, 1, 2, 3);
        connect(t, 10, 3);
        locked(t, () -> {
            t.priority(0, 2);
            t.priority(2, 0);
            t.request(p, 1, 1);
        });
        List<String> log = t.recordRequests();
        new NaiveStrategy().open(t).requestUpdate(p, 0);
        // 0 (high priority), then 1 (partial, one block left), then 3; 2 is skipped.
        assertEquals(List.of(p.id() + ":0x2", p.id() + ":1x1", p.id() + ":3x2"), log);
    }

    @Test
    void requestsNothingFromAChokingPeerOrBeyondItsPipeline() {
        SimulatedTorrent t = new SimulatedTorrent(8, 4, 7);
        SimulatedPeer p = connect(t, 6, 0, 1, 2, 3, 4, 5, 6, 7);
        locked(t, () -> t.choke(p, true));
        Picker picker = new NaiveStrategy().open(t);
        picker.requestUpdate(p, 0);
        assertEquals(0, t.blocksRequested());
        locked(t, () -> {
            t.choke(p, false);
            t.request(p, 0, 1);
        });
        picker.requestUpdate(p, 0);
        assertEquals(6, t.blocksRequested(), "one in flight, five more up to the target of six");
    }

    @Test
    void skipsPiecesWeHaveOrThePeerLacks() {
        SimulatedTorrent t = new SimulatedTorrent(4, 1, 7);
        SimulatedPeer p = connect(t, 4, 1, 2);
        locked(t, () -> t.markHave(1));
        List<String> log = t.recordRequests();
        new NaiveStrategy().open(t).requestUpdate(p, 0);
        assertEquals(List.of(p.id() + ":2x1"), log);
    }

    @Test
    void breaksTiesTheSameWayEveryTimeButNotByIndex() {
        SimulatedTorrent t = new SimulatedTorrent(64, 1, 7);
        BitSet all = new BitSet();
        all.set(0, 64);
        locked(t, () -> t.connect(all, 4));
        List<Integer> first = NaivePicker.order(t);
        assertEquals(first, NaivePicker.order(t));
        boolean ascending = true;
        for (int i = 1; i < first.size(); i++) {
            ascending &= first.get(i) > first.get(i - 1);
        }
        assertTrue(!ascending, "equal pieces are spread, not taken in index order");
    }

    private static SimulatedPeer connect(SimulatedTorrent t, int target, int... held) {
        BitSet pieces = new BitSet();
        for (int h : held) {
            pieces.set(h);
        }
        SimulatedPeer[] p = new SimulatedPeer[1];
        locked(t, () -> p[0] = t.connect(pieces, target));
        return p[0];
    }

    private static void locked(SimulatedTorrent t, Runnable change) {
        t.lock().lock();
        try {
            change.run();
        } finally {
            t.lock().unlock();
        }
    }
}
