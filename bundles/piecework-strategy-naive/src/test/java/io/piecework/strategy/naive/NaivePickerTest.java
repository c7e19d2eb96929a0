package io.piecework.strategy.naive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NaivePickerTest {
    @Test
    void requestsTheRarestPieceFirst() {
        FakeTorrent t = new FakeTorrent(3, 1);
        FakeTorrent.FakePeer p = t.peer(0, 1, 2);
        t.peer(0, 1);
        t.peer(0);
        p.target = 1;
        new NaiveStrategy().open(t).requestUpdate(p, 0);
        assertEquals(List.of("0:2"), t.log);
    }

    @Test
    void ordersByPriorityThenPartialThenAvailability() {
        FakeTorrent t = new FakeTorrent(4, 2);
        FakeTorrent.FakePeer p = t.peer(0, 1, 2, 3);
        t.peer(3);
        t.priority[0] = 2;
        t.requestedBlocks[1] = 1;
        t.priority[2] = 0;
        p.target = 10;
        new NaiveStrategy().open(t).requestUpdate(p, 0);
        // 0 (high priority), then 1 (partial, one block left), then 3; 2 is skipped.
        assertEquals(List.of("0:0", "0:0", "0:1", "0:3", "0:3"), t.log);
    }

    @Test
    void requestsNothingFromAChokingPeerOrBeyondItsPipeline() {
        FakeTorrent t = new FakeTorrent(8, 4);
        FakeTorrent.FakePeer p = t.peer(0, 1, 2, 3, 4, 5, 6, 7);
        p.choking = true;
        var picker = new NaiveStrategy().open(t);
        picker.requestUpdate(p, 0);
        assertTrue(t.log.isEmpty());
        p.choking = false;
        p.target = 6;
        p.inFlight = 1;
        picker.requestUpdate(p, 0);
        assertEquals(5, t.log.size());
    }

    @Test
    void skipsPiecesWeHaveOrThePeerLacks() {
        FakeTorrent t = new FakeTorrent(4, 1);
        FakeTorrent.FakePeer p = t.peer(1, 2);
        t.have.set(1);
        p.target = 4;
        new NaiveStrategy().open(t).requestUpdate(p, 0);
        assertEquals(List.of("0:2"), t.log);
    }

    @Test
    void breaksTiesTheSameWayEveryTimeButNotByIndex() {
        FakeTorrent t = new FakeTorrent(64, 1);
        FakeTorrent.FakePeer p = t.peer();
        for (int i = 0; i < 64; i++) {
            p.pieces.set(i);
        }
        List<Integer> first = NaivePicker.order(t);
        assertEquals(first, NaivePicker.order(t));
        boolean ascending = true;
        for (int i = 1; i < first.size(); i++) {
            ascending &= first.get(i) > first.get(i - 1);
        }
        assertTrue(!ascending, "equal pieces are spread, not taken in index order");
    }
}
