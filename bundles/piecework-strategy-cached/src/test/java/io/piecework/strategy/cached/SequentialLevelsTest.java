package io.piecework.strategy.cached;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.piecework.compare.ReferenceOrder;
import io.piecework.compare.SimulatedPeer;
import io.piecework.compare.SimulatedTorrent;
import java.util.BitSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The engine's sequential download is a priority ordering (core's Priorities: level L becomes
 * L * (n + 1) + (n - piece)): the cached index, which batched shares, must order such large,
 * distinct levels by index, above rarity and the random tie-break, as the naive strategy does.
 */
class SequentialLevelsTest {
    @Test
    void sequentialLevelsOrderPiecesByIndexEvenWhenRarityDiffers() {
        int n = 64;
        SimulatedTorrent t = new SimulatedTorrent(n, 4, 21);
        CachedPicker picker = new CachedPicker(t);
        t.lock().lock();
        try {
            BitSet all = new BitSet();
            all.set(0, n);
            BitSet evens = new BitSet();
            IntStream.range(0, n).filter(p -> p % 2 == 0).forEach(evens::set);
            SimulatedPeer a = t.connect(all, 4);
            picker.peerPiecesReset(a);
            SimulatedPeer b = t.connect(evens, 4); // even pieces are commoner: rarest first would put odd ones first
            picker.peerPiecesReset(b);
            for (int p = 0; p < n; p++) {
                t.priority(p, (n + 1) + (n - p));
            }
            picker.prioritiesChanged();
            assertArrayEquals(IntStream.range(0, n).toArray(), picker.order());
            assertArrayEquals(ReferenceOrder.compute(t), picker.order());
        } finally {
            t.lock().unlock();
        }
    }
}
