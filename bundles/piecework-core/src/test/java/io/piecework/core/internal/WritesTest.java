package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write ring exists only while blocks wait for the disk, grows with the backlog, keeps order. */
class WritesTest {
    @TempDir
    Path dir;

    @Test
    void theRingIsMadeAtTheFirstBlockGrowsWithTheBacklogAndIsGivenBackWhenDrained() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 4)) {
            List<Runnable> held = new ArrayList<>();
            Executor disk = held::add; // the disk does nothing until the test runs what was handed to it
            Writes writes = new Writes(h.torrent.blocks, disk);
            assertEquals(0, writes.allocated(), "a torrent that receives nothing holds no ring");
            int backlog = Writes.FIRST_CAPACITY * 4 + 1;
            for (int i = 0; i < backlog; i++) {
                writes.write(h.storage(), i % 4, 0, ByteBuffer.allocate(1), false);
            }
            assertTrue(writes.allocated() >= backlog && writes.allocated() <= Writes.CAPACITY,
                    writes.allocated() + " for a backlog of " + backlog);
            writes.release();
            assertTrue(writes.allocated() > 0, "not given back while blocks wait");
            writes.flush(); // the last ones, fewer than a run, would wait for their pieces or the timer
            while (!held.isEmpty()) {
                held.remove(0).run();
            }
            assertEquals(backlog, h.storage().writes.get(), "every block written");
            writes.release();
            assertEquals(0, writes.allocated());
        }
    }

    @Test
    void blocksOfAPieceQueuedCloseTogetherGoToTheStorageSortedAsRunsOfAdjacentOnes() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 2, 32)) {
            List<Runnable> held = new ArrayList<>();
            Writes writes = new Writes(h.torrent.blocks, held::add);
            int[][] queued = {{0, 2}, {0, 1}, {0, 0}, {1, 0}, {0, 3}, {0, 5}};
            for (int b = 1; b <= 20; b++) {
                writes.write(h.storage(), 1, b, TorrentHarness.block(), false);
            }
            for (int[] q : queued) {
                writes.write(h.storage(), q[0], q[1], TorrentHarness.block(), false);
            }
            writes.flush();
            while (!held.isEmpty()) {
                held.remove(0).run();
            }
            int b = TorrentHarness.BLOCK;
            assertEquals(List.of("1 " + b + " 16", "1 0 1", "1 " + 17 * b + " 4", "0 0 4", "0 " + 5 * b + " 1"),
                    h.storage().runs, "the oldest block's piece first, sorted, runs of adjacent blocks, 16 at most");
            assertEquals(26, h.storage().writes.get());
        }
    }

    @Test
    void blocksWaitForTheirPiecesLastBlockThenGoAsOneRun() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 2, 8)) {
            List<Runnable> held = new ArrayList<>();
            Writes writes = new Writes(h.torrent.blocks, held::add);
            for (int b = 0; b < 7; b++) {
                writes.write(h.storage(), 0, b, TorrentHarness.block(), false);
            }
            assertEquals(0, held.size(), "seven blocks are not worth a write yet");
            writes.write(h.storage(), 0, 7, TorrentHarness.block(), true);
            assertEquals(1, held.size(), "the piece's last block sends it to the disk");
            held.remove(0).run();
            assertEquals(List.of("0 0 8"), h.storage().runs);
        }
    }

    @Test
    void aLoneBlockIsWrittenOnceFlushedAndAFlushWithNothingQueuedHandsTheDiskNothing() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 2, 8)) {
            List<Runnable> held = new ArrayList<>();
            Writes writes = new Writes(h.torrent.blocks, held::add);
            writes.write(h.storage(), 1, 5, TorrentHarness.block(), false);
            assertEquals(0, held.size());
            writes.flush();
            assertEquals(1, held.size());
            held.remove(0).run();
            assertEquals(List.of("1 " + 5 * TorrentHarness.BLOCK + " 1"), h.storage().runs);
            writes.flush();
            assertEquals(0, held.size(), "nothing queued: no drain");
        }
    }

    @Test
    void aFullRunIsWrittenWithoutWaitingForItsPieceAndABacklogGetsASecondDrain() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 1, 256)) {
            List<Runnable> held = new ArrayList<>();
            Writes writes = new Writes(h.torrent.blocks, held::add);
            for (int b = 0; b < Writes.RUN; b++) {
                assertEquals(0, held.size(), "block " + b);
                writes.write(h.storage(), 0, b, TorrentHarness.block(), false);
            }
            assertEquals(1, held.size(), "a run's worth waits: one drain");
            for (int b = Writes.RUN; b < Writes.WINDOW; b++) {
                writes.write(h.storage(), 0, b, TorrentHarness.block(), false);
            }
            assertEquals(1, held.size(), "one drain keeps up with a disk that is not far behind");
            writes.write(h.storage(), 0, Writes.WINDOW, TorrentHarness.block(), false);
            assertEquals(2, held.size(), "more than a window waits: a second drain");
            held.remove(0).run();
            held.remove(0).run();
            int b = TorrentHarness.BLOCK;
            List<String> runs = h.storage().runs;
            assertEquals(Writes.WINDOW / Writes.RUN, runs.size(), runs.toString());
            assertEquals("0 0 16", runs.get(0));
            assertEquals("0 " + (Writes.WINDOW - 16) * b + " 16", runs.get(runs.size() - 1),
                    "the last block waits for its piece (or the timer)");
        }
    }
}
