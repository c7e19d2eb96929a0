package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PendingRequestsTest {
    /**
     * Peers answer in the order asked: with the entries kept in that order the arriving block is
     * the first one looked at, and what is left is still oldest first.
     */
    @Test
    void entriesStayInTheOrderSentWhateverIsRemoved() {
        PendingRequests pending = new PendingRequests();
        for (int b = 0; b < 6; b++) {
            pending.add(7, b, 100 + b);
        }
        assertTrue(pending.remove(7, 0));
        assertTrue(pending.remove(7, 3));
        assertFalse(pending.remove(7, 3), "removed once");
        assertEquals(List.of(1, 2, 4, 5), blocks(pending));
        assertEquals(101, pending.sentAt(0));
        assertEquals(105, pending.sentAt(3));
    }

    /** The same answers as a plain list, through growth, slides and removals anywhere. */
    @Test
    void behavesAsAListOfRequestsInOrder() {
        PendingRequests pending = new PendingRequests();
        List<long[]> model = new ArrayList<>();
        Random random = new Random(11);
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(10);
            if (op < 5 || model.isEmpty()) {
                int piece = random.nextInt(8);
                int block = random.nextInt(16);
                pending.add(piece, block, step);
                model.add(new long[] {piece, block, step});
            } else if (op < 8) {
                int i = random.nextInt(Math.min(3, model.size())); // mostly the oldest, as peers answer
                long[] e = model.get(i);
                int first = indexOf(model, e[0], e[1]);
                assertTrue(pending.remove((int) e[0], (int) e[1]));
                model.remove(first);
            } else if (op < 9) {
                int i = random.nextInt(model.size());
                pending.removeAt(i);
                model.remove(i);
            } else if (random.nextInt(50) == 0) {
                pending.clear();
                model.clear();
                pending.release();
                assertEquals(0, pending.capacity());
            }
            assertEquals(model.size(), pending.size());
            int piece = random.nextInt(8);
            int block = random.nextInt(16);
            assertEquals(indexOf(model, piece, block) >= 0, pending.asked(piece, block), "asked " + piece + "/" + block);
        }
        for (int i = 0; i < model.size(); i++) {
            assertEquals(model.get(i)[0], pending.piece(i));
            assertEquals(model.get(i)[1], pending.block(i));
            assertEquals(model.get(i)[2], pending.sentAt(i));
        }
    }

    /**
     * In endgame the tracker asks, for every block of every piece offered to a peer, whether that
     * peer was asked for it: the answer must not cost a scan of the pipeline.
     */
    @Test
    void askedIsAnsweredWithoutScanningThePipeline() {
        PendingRequests pending = new PendingRequests();
        int pipeline = 1000;
        for (int i = 0; i < pipeline; i++) {
            pending.add(i / 16, i % 16, i);
        }
        for (int i = 0; i < pipeline; i += 2) {
            assertTrue(pending.remove(i / 16, i % 16));
        }
        for (int i = 0; i < pipeline; i++) {
            assertEquals(i % 2 == 1, pending.asked(i / 16, i % 16));
        }
        assertFalse(pending.asked(pipeline, 0));
        // A scan answers a miss by reading every entry: here the index reads a handful of slots.
        assertTrue(pending.probesOfLastAsk() <= 16, pending.probesOfLastAsk() + " slots read for one miss");
    }

    private static int indexOf(List<long[]> model, long piece, long block) {
        for (int i = 0; i < model.size(); i++) {
            if (model.get(i)[0] == piece && model.get(i)[1] == block) {
                return i;
            }
        }
        return -1;
    }

    private static List<Integer> blocks(PendingRequests pending) {
        List<Integer> blocks = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            blocks.add(pending.block(i));
        }
        return blocks;
    }
}
