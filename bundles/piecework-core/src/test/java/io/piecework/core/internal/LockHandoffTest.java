package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.TorrentState;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The block path's threads never queue on a torrent's lock held by someone else: a block that
 * arrives, or a piece verified, while the lock is taken is handed to its holder, which books it
 * before releasing the lock. Every wait is bounded.
 */
class LockHandoffTest {
    @TempDir
    Path dir;

    @Test
    void aBlockArrivingWhileTheLockIsHeldLeavesTheEventLoopFreeAndIsBookedByTheHolder() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 4)) {
            PeerSession p = h.seed(new FakeConnection());
            InstrumentedLock lock = h.torrent.lock;
            Thread loop = new Thread(() -> TorrentHarness.deliver(p, 0, 0), "fake-event-loop");
            int inFlight;
            lock.lock();
            try {
                inFlight = p.inFlight();
                loop.start();
                loop.join(10_000);
                assertFalse(loop.isAlive(), "the event loop waited for the torrent's lock");
                assertEquals(inFlight, p.inFlight(), "booked only under the lock");
            } finally {
                lock.unlock();
                loop.join(10_000);
            }
            assertTrue(LoopbackEngines.within(10_000, () -> h.storage().writes.get() == 1), "the block was written");
            assertTrue(h.torrent.blocks.tracker.partial(0));
        }
    }

    @Test
    void aPieceVerifiedWhileTheLockIsHeldLeavesTheDiskThreadFree() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 4)) {
            PeerSession p = h.seed(new FakeConnection());
            MemoryStorage storage = h.storage();
            storage.writeGate = new java.util.concurrent.CompletableFuture<>();
            TorrentHarness.deliver(p, 1, 0);
            TorrentHarness.deliver(p, 1, 1);
            InstrumentedLock lock = h.torrent.lock;
            lock.lock();
            try {
                storage.writeGate.complete(null); // the second write has the piece verified at once
                assertTrue(LoopbackEngines.within(10_000, () -> storage.writes.get() == 2));
                // Done with the piece once every disk thread is idle in its pool or queued on the lock.
                assertTrue(LoopbackEngines.within(10_000, () -> diskThreads().allMatch(t -> idle(t) || lock.hasQueuedThread(t))));
                assertFalse(diskThreads().anyMatch(lock::hasQueuedThread), "a disk thread waits for the torrent's lock");
                assertFalse(h.torrent.hasVerified(1), "verified only under the lock");
            } finally {
                lock.unlock();
            }
            assertTrue(LoopbackEngines.within(10_000, () -> h.torrent.hasVerified(1)));
        }
    }

    @Test
    void aStopByTheHolderLetsHandedBlocksReturnTheirBuffersWithoutAnError() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 4)) {
            PeerSession p = h.seed(new FakeConnection());
            InstrumentedLock lock = h.torrent.lock;
            Thread loop = new Thread(() -> {
                TorrentHarness.deliver(p, 2, 0);
                TorrentHarness.deliver(p, 2, 1);
            }, "fake-event-loop");
            lock.lock();
            try {
                loop.start();
                loop.join(10_000);
                assertFalse(loop.isAlive(), "the event loop waited for the torrent's lock");
                h.torrent.stop();
            } finally {
                lock.unlock();
                loop.join(10_000);
            }
            BlockBuffers buffers = h.engine.buffers();
            assertTrue(LoopbackEngines.within(10_000, () -> buffers.spare() == buffers.created()),
                    buffers.created() + " buffers made, " + buffers.spare() + " back");
            assertEquals(0, h.storage().writes.get(), "nothing written for a stopped torrent");
            assertEquals(TorrentState.STOPPED, h.torrent.state());
        }
    }

    private static java.util.stream.Stream<Thread> diskThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("piecework-disk"));
    }

    /** Parked in its pool waiting for the next task. */
    private static boolean idle(Thread t) {
        return Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getMethodName().equals("getTask"));
    }
}
