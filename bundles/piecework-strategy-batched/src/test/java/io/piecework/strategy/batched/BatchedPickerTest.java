package io.piecework.strategy.batched;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.strategy.PeerView;
import io.piecework.api.strategy.Picker;
import io.piecework.api.strategy.UpdateReason;
import io.piecework.strategy.naive.NaiveStrategy;
import io.piecework.compare.ReferenceOrder;
import io.piecework.compare.SimulatedPeer;
import io.piecework.compare.SimulatedTorrent;
import io.piecework.compare.SwarmEvents;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchedPickerTest {
    private static final long HOUR_MS = TimeUnit.HOURS.toMillis(1);
    private final List<BatchedStrategy> strategies = new ArrayList<>();

    @AfterEach
    void stopTimers() {
        strategies.forEach(BatchedStrategy::deactivate);
    }

    @Test
    void coalescesTriggersPerPeerAndServesABatchUnderOneLockAcquisition() {
        SimulatedTorrent t = new SimulatedTorrent(64, 2, 1);
        List<SimulatedPeer> peers = connectSeeds(t, 3, 4);
        BatchedPicker picker = open(t, HOUR_MS);
        long before = t.lock().acquisitions();
        picker.requestUpdate(peers.get(0), UpdateReason.UNCHOKED);
        picker.requestUpdate(peers.get(1), UpdateReason.HAVE);
        picker.requestUpdate(peers.get(0), UpdateReason.BLOCK_RECEIVED);
        picker.requestUpdate(peers.get(0), UpdateReason.HAVE);
        assertEquals(2, picker.dirtyPeers(), "one entry per peer");
        assertEquals(before, t.lock().acquisitions(), "nothing served before the batch");
        assertEquals(0, t.blocksRequested());
        picker.requestUpdate(peers.get(2), UpdateReason.PIPELINE_DRY);
        assertEquals(before + 1, t.lock().acquisitions(), "one lock acquisition for three peers");
        assertEquals(12, t.blocksRequested(), "each peer filled once, to its target");
        assertEquals(0, picker.dirtyPeers());
    }

    @Test
    void aDryPipelineIsServedAtOnceOnTheCallersThread() {
        SimulatedTorrent t = new SimulatedTorrent(16, 1, 2);
        SimulatedPeer p = connectSeeds(t, 1, 3).get(0);
        BatchedPicker picker = open(t, HOUR_MS);
        picker.requestUpdate(p, UpdateReason.BLOCK_RECEIVED);
        assertEquals(0, p.inFlight(), "an ordinary trigger waits for the interval");
        picker.requestUpdate(p, UpdateReason.BLOCK_RECEIVED | UpdateReason.PIPELINE_DRY);
        assertEquals(3, p.inFlight(), "served before requestUpdate returned");
    }

    @Test
    void theTimerServesDirtyPeersTogetherAfterTheInterval() {
        SimulatedTorrent t = new SimulatedTorrent(256, 2, 3);
        List<SimulatedPeer> peers = connectSeeds(t, 10, 4);
        BatchedPicker picker = open(t, 20);
        long before = t.lock().acquisitions();
        // Holding the lock while marking keeps a slow test thread from splitting the batch:
        // a tick that fires meanwhile finds the lock taken and leaves the batch to the next one.
        t.lock().lock();
        try {
            for (SimulatedPeer p : peers) {
                picker.requestUpdate(p, UpdateReason.UNCHOKED);
            }
            assertTrue(picker.ticking());
        } finally {
            t.lock().unlock();
        }
        awaitTrue(() -> picker.dirtyPeers() == 0 && t.lock().acquisitions() > before + 1, "a batch ran");
        t.lock().lock();
        try {
            assertEquals(before + 3, t.lock().acquisitions(), "one acquisition for the batch, two here");
            assertEquals(40, t.blocksRequested());
        } finally {
            t.lock().unlock();
        }
        awaitTrue(() -> !picker.ticking(), "the ticker stops once idle");
    }

    /** The timer serves every torrent: one descheduled lock holder must not hold up the others. */
    @Test
    void aTickFindingTheTorrentLockTakenLeavesTheBatchForALaterTickInsteadOfWaiting() throws Exception {
        SimulatedTorrent t = new SimulatedTorrent(256, 2, 3);
        List<SimulatedPeer> peers = connectSeeds(t, 4, 4);
        BatchedStrategy strategy = strategy(5);
        BatchedPicker picker = (BatchedPicker) strategy.open(t);
        CompletableFuture<Void> timerFree = new CompletableFuture<>();
        t.lock().lock();
        try {
            for (SimulatedPeer p : peers) {
                picker.requestUpdate(p, UpdateReason.UNCHOKED);
            }
            // Behind several ticks on the timer's one thread: runs only if none of them waits.
            strategy.schedule(() -> timerFree.complete(null), 50);
            timerFree.get(10, TimeUnit.SECONDS);
            assertEquals(0, t.blocksRequested(), "nothing served while the lock is held");
        } finally {
            t.lock().unlock();
        }
        awaitTrue(() -> picker.dirtyPeers() == 0, "a later tick took the batch");
        // The batch is taken from the dirty list, then filled under the torrent's lock: read after it.
        t.lock().lock();
        try {
            assertEquals(16, t.blocksRequested(), "each peer filled to its target once");
        } finally {
            t.lock().unlock();
        }
    }

    @Test
    void closeStopsTheTimerAndNothingIsRequestedAfterwards() {
        SimulatedTorrent t = new SimulatedTorrent(32, 1, 4);
        SimulatedPeer p = connectSeeds(t, 1, 4).get(0);
        BatchedStrategy strategy = strategy(30_000);
        BatchedPicker picker = (BatchedPicker) strategy.open(t);
        picker.requestUpdate(p, UpdateReason.UNCHOKED);
        assertEquals(1, strategy.scheduledTasks());
        picker.close();
        assertEquals(0, strategy.scheduledTasks(), "the ticker left the timer's queue");
        assertFalse(picker.ticking());
        picker.requestUpdate(p, UpdateReason.PIPELINE_DRY);
        assertEquals(0, t.blocksRequested());
        assertEquals(0, strategy.scheduledTasks());
    }

    @Test
    void aGonePeerLeavesTheBatch() {
        SimulatedTorrent t = new SimulatedTorrent(32, 1, 5);
        List<SimulatedPeer> peers = connectSeeds(t, 2, 4);
        BatchedPicker picker = open(t, HOUR_MS);
        picker.requestUpdate(peers.get(0), UpdateReason.UNCHOKED);
        t.lock().lock();
        try {
            t.disconnect(peers.get(0));
            picker.peerGone(peers.get(0));
        } finally {
            t.lock().unlock();
        }
        // The simulated torrent throws on a request to a gone peer.
        picker.requestUpdate(peers.get(1), UpdateReason.PIPELINE_DRY);
        assertEquals(4, t.blocksRequested());
    }

    @Test
    void aPeerClosingMidBatchDoesNotMakeLaterPeersSkipPieces() {
        List<List<String>> logs = new ArrayList<>();
        for (boolean batched : new boolean[] {false, true}) {
            SimulatedTorrent t = new SimulatedTorrent(64, 4, 6);
            logs.add(t.recordRequests());
            List<SimulatedPeer> peers = connectSeeds(t, 2, 16);
            t.lock().lock();
            try {
                t.pipelineTarget(peers.get(1), 8);
            } finally {
                t.lock().unlock();
            }
            // The first peer's connection closes after its first request (as the engine's
            // close does, without the lock): later requests to it get 0 blocks.
            t.closeAfterRequests(peers.get(0), 1);
            if (batched) {
                BatchedPicker picker = open(t, HOUR_MS);
                picker.requestUpdate(peers.get(0), UpdateReason.BLOCK_RECEIVED);
                picker.requestUpdate(peers.get(1), UpdateReason.PIPELINE_DRY);
            } else {
                Picker naive = new NaiveStrategy().open(t);
                naive.requestUpdate(peers.get(0), 0);
                naive.requestUpdate(peers.get(1), 0);
            }
            assertEquals(4 + 8, t.blocksRequested(), "the second peer's pipeline is full");
        }
        assertEquals(logs.get(0), logs.get(1));
    }

    @Test
    void requestsExactlyWhatNaiveFillsOfTheSameDirtyPeersRequest() {
        // Small torrents reach endgame, where later peers may not skip what earlier ones took.
        for (int pieces : new int[] {40, 600}) {
            SimulatedTorrent naive = new SimulatedTorrent(pieces, 4, pieces);
            SimulatedTorrent batched = new SimulatedTorrent(pieces, 4, pieces);
            List<String> naiveLog = naive.recordRequests();
            List<String> batchedLog = batched.recordRequests();
            NaiveBatches reference = new NaiveBatches(new NaiveStrategy().open(naive));
            BatchedPicker picker = open(batched, HOUR_MS);
            SwarmEvents ea = new SwarmEvents(naive, 17, 15);
            SwarmEvents eb = new SwarmEvents(batched, 17, 15);
            boolean endgame = false;
            for (int step = 0; step < 12_000; step++) {
                ea.next(reference);
                eb.next(picker);
                if (step % 5 == 0) {
                    reference.flush();
                    picker.flush();
                }
                assertEquals(naiveLog.size(), batchedLog.size(), pieces + " pieces, step " + step);
                batched.lock().lock();
                try {
                    endgame |= batched.endgame() && ReferenceOrder.compute(batched).length > 0;
                    if (step % 50 == 0) {
                        assertArrayEquals(ReferenceOrder.compute(batched), picker.order());
                    }
                } finally {
                    batched.lock().unlock();
                }
            }
            assertEquals(naiveLog, batchedLog);
            assertTrue(naiveLog.size() > pieces, "the run requested blocks: " + naiveLog.size());
            if (pieces == 40) {
                assertTrue(endgame, "the small torrent reached endgame");
            }
        }
    }

    /** The batching rules over naive fills: the reference for what a batch must request. */
    private static final class NaiveBatches implements Picker {
        private final Picker naive;
        private final List<PeerView> dirty = new ArrayList<>();

        NaiveBatches(Picker naive) {
            this.naive = naive;
        }

        @Override
        public void peerGone(PeerView peer) {
            dirty.remove(peer);
        }

        @Override
        public void requestUpdate(PeerView peer, int reasons) {
            if (!dirty.contains(peer)) {
                dirty.add(peer);
            }
            if ((reasons & UpdateReason.PIPELINE_DRY) != 0) {
                flush();
            }
        }

        void flush() {
            for (PeerView p : dirty) {
                naive.requestUpdate(p, 0);
            }
            dirty.clear();
        }

        @Override
        public void close() {
        }
    }

    private BatchedStrategy strategy(long intervalMs) {
        BatchedStrategy s = new BatchedStrategy(intervalMs);
        strategies.add(s);
        return s;
    }

    private BatchedPicker open(SimulatedTorrent t, long intervalMs) {
        return (BatchedPicker) strategy(intervalMs).open(t);
    }

    private static List<SimulatedPeer> connectSeeds(SimulatedTorrent t, int count, int target) {
        BitSet all = new BitSet();
        all.set(0, t.pieceCount());
        List<SimulatedPeer> peers = new ArrayList<>();
        t.lock().lock();
        try {
            for (int i = 0; i < count; i++) {
                peers.add(t.connect(all, target));
            }
        } finally {
            t.lock().unlock();
        }
        t.lock().resetAcquisitions();
        return peers;
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
