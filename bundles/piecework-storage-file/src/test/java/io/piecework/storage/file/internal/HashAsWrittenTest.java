package io.piecework.storage.file.internal;

import static io.piecework.storage.file.internal.Torrents.Spec.file;
import static io.piecework.storage.file.internal.Torrents.Spec.pad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.storage.TorrentStorage;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pieces are hashed as their blocks are written, so verifying one reads back only what came
 * out of order; and the verdict is still always about what is on disk.
 */
class HashAsWrittenTest extends StorageFixture {
    private static final int PIECE = 16 * BLOCK;

    @TempDir
    Path dir;

    private final FailingDisk disk = new FailingDisk();

    private TorrentStorage open(Torrents.Built t) throws Exception {
        return await(provider(Settings.DEFAULTS, disk).open(t.metainfo(), dir));
    }

    private static void writeBlock(TorrentStorage storage, byte[] piece, int index, int block) throws Exception {
        int at = block * BLOCK;
        storage.write(index, at, ByteBuffer.wrap(piece, at, Math.min(BLOCK, piece.length - at)));
    }

    @Test
    void aPieceWrittenInOrderIsVerifiedWithoutReadingItBack() throws Exception {
        Torrents.Built t = Torrents.single("in-order.bin", PIECE, 3 * PIECE + 5_000, 1);
        TorrentStorage storage = open(t);
        writeAll(storage, t);
        long before = disk.positionalReads.get();
        verifyAll(storage);
        assertEquals(0, disk.positionalReads.get() - before, "every block was hashed as it was written");
        assertEquals(4, storage.completedCount());
    }

    @Test
    void blocksAheadOfAGapAreCopiedAndHashedOnceItCloses() throws Exception {
        Torrents.Built t = Torrents.single("shuffled.bin", PIECE, PIECE, 2);
        TorrentStorage storage = open(t);
        byte[] piece = t.piece(0);
        // 0, 1, then 5..15, then 2, 3, 4: blocks 5..15 wait as copies until 2..4 close the gap.
        writeBlock(storage, piece, 0, 0);
        writeBlock(storage, piece, 0, 1);
        for (int b = 5; b < 16; b++) {
            writeBlock(storage, piece, 0, b);
        }
        for (int b = 2; b < 5; b++) {
            writeBlock(storage, piece, 0, b);
        }
        long before = disk.positionalReads.get();
        assertTrue(await(storage.verify(0)));
        assertEquals(0, disk.positionalReads.get() - before, "nothing read back");
    }

    @Test
    void pastItsCopiesAPieceIsReadBackFromTheFirstGapOn() throws Exception {
        int blocks = 64;
        Torrents.Built t = Torrents.single("far.bin", blocks * BLOCK, blocks * BLOCK, 8);
        TorrentStorage storage = open(t);
        byte[] piece = t.piece(0);
        // 0, then 2..63 (only the first 16 of them are copied), then 1: the prefix reaches 18 blocks.
        writeBlock(storage, piece, 0, 0);
        for (int b = 2; b < blocks; b++) {
            writeBlock(storage, piece, 0, b);
        }
        writeBlock(storage, piece, 0, 1);
        long before = disk.positionalReads.get();
        assertTrue(await(storage.verify(0)));
        assertEquals((blocks - 2 - PieceDigests.MAX_AHEAD) * (long) BLOCK, disk.positionalReads.get() - before,
                "blocks 18..63 read back");
    }

    @Test
    void aBlockWrittenAgainWhileWaitingAsACopyIsReadBack() throws Exception {
        Torrents.Built t = Torrents.single("again.bin", PIECE, PIECE, 9);
        TorrentStorage storage = open(t);
        byte[] good = t.piece(0);
        byte[] bad = good.clone();
        bad[6 * BLOCK] ^= 1;
        writeBlock(storage, good, 0, 6); // copied, ahead of the prefix
        writeBlock(storage, bad, 0, 6); // then overwritten on disk with bad data
        for (int b = 0; b < 16; b++) {
            if (b != 6) {
                writeBlock(storage, good, 0, b);
            }
        }
        assertFalse(await(storage.verify(0)), "the copy is not what is on disk any more");
    }

    @Test
    void aCorruptBlockFailsWhetherHashedOrReadBack() throws Exception {
        Torrents.Built t = Torrents.single("corrupt.bin", PIECE, 2 * PIECE, 3);
        TorrentStorage storage = open(t);
        byte[] bad = t.piece(0).clone();
        bad[7 * BLOCK + 3] ^= 1;
        for (int b = 0; b < 16; b++) {
            writeBlock(storage, bad, 0, b); // in order: hashed as written
        }
        byte[] bad1 = t.piece(1).clone();
        bad1[15 * BLOCK] ^= 1;
        for (int b = 15; b >= 0; b--) {
            writeBlock(storage, bad1, 1, b); // backwards: read back
        }
        assertFalse(await(storage.verify(0)));
        assertFalse(await(storage.verify(1)));
        // Sent again, right this time: the new data is hashed, not the old.
        writePiece(storage, t, 0);
        writePiece(storage, t, 1);
        verifyAll(storage);
    }

    @Test
    void aBlockWrittenAgainIsJudgedByWhatIsOnDisk() throws Exception {
        Torrents.Built t = Torrents.single("rewritten.bin", PIECE, 2 * PIECE, 4);
        TorrentStorage storage = open(t);
        byte[] good = t.piece(0);
        byte[] bad = good.clone();
        bad[3 * BLOCK] ^= 1;
        // Good data hashed, then block 3 overwritten with bad data: the disk has the bad block.
        writePiece(storage, t, 0);
        writeBlock(storage, bad, 0, 3);
        assertFalse(await(storage.verify(0)), "the hash must be of what is on disk, not of what was first written");
        // Bad data hashed, then block 3 overwritten with good data: the disk is right.
        byte[] bad1 = t.piece(1).clone();
        bad1[3 * BLOCK] ^= 1;
        for (int b = 0; b < 16; b++) {
            writeBlock(storage, bad1, 1, b);
        }
        writeBlock(storage, t.piece(1), 1, 3);
        assertTrue(await(storage.verify(1)), "read back: the disk holds the good block");
    }

    @Test
    void aRecheckReadsTheDiskEvenAfterHashingAsWritten() throws Exception {
        Torrents.Built t = Torrents.single("recheck.bin", PIECE, 2 * PIECE, 5);
        TorrentStorage storage = open(t);
        writePiece(storage, t, 0);
        writePiece(storage, t, 1);
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("recheck.bin").toFile(), "rw")) {
            f.seek(PIECE + 10); // changed behind the storage's back, after its blocks were hashed
            f.write(t.piece(1)[10] ^ 1);
        }
        assertEquals(org.roaringbitmap.RoaringBitmap.bitmapOf(0), await(storage.recheck()));
    }

    @Test
    void concurrentWritersInAnyOrderGetTheVerdictOfTheDisk() throws Exception {
        int pieces = 8;
        Torrents.Built t = Torrents.single("concurrent.bin", PIECE, pieces * PIECE, 7);
        TorrentStorage storage = open(t);
        byte[][] data = new byte[pieces][];
        for (int p = 0; p < pieces; p++) {
            data[p] = t.piece(p).clone();
        }
        data[5][9 * BLOCK + 1] ^= 1; // one corrupt block
        // Every block of every piece, nearly in order, written by four threads at once.
        java.util.List<int[]> blocks = new java.util.ArrayList<>();
        for (int p = 0; p < pieces; p++) {
            for (int b = 0; b < 16; b++) {
                blocks.add(new int[] {p, b});
            }
        }
        java.util.Collections.swap(blocks, 3, 4);
        java.util.Collections.swap(blocks, 40, 47);
        java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int[] pb : blocks) {
                done.add(writers.submit(() -> {
                    writeBlock(storage, data[pb[0]], pb[0], pb[1]);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            writers.shutdownNow();
        }
        for (int p = 0; p < pieces; p++) {
            assertEquals(p != 5, await(storage.verify(p)), "piece " + p);
        }
    }

    @Test
    void padFilesAreAlwaysReadBackAsZeros() throws Exception {
        // A peer may send anything in a pad file's range; it is never written, and hashes as zeros.
        Torrents.Built t = Torrents.multi("padded", PIECE, 6, file(10_000, "a"), pad(PIECE - 10_000), file(20_000, "b"));
        TorrentStorage storage = open(t);
        byte[] piece = t.piece(0).clone();
        piece[PIECE - 1] = 1; // non-zero padding
        for (int b = 0; b < 16; b++) {
            writeBlock(storage, piece, 0, b);
        }
        assertTrue(await(storage.verify(0)), "pad bytes hash as the zeros a read-back gives");
    }
}
