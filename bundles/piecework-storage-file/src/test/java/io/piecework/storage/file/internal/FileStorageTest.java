package io.piecework.storage.file.internal;

import static io.piecework.storage.file.internal.Torrents.Spec.file;
import static io.piecework.storage.file.internal.Torrents.Spec.pad;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.storage.StorageState;
import io.piecework.api.storage.TorrentStorage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStorageTest extends StorageFixture {
    @TempDir
    Path dir;

    @Test
    void writesBlocksAcrossFileBoundariesAndReadsThemBack() throws Exception {
        Torrents.Built t = Torrents.multi("multi", 16384, 1,
                file(10_000, "a.bin"), file(7, "sub", "b.bin"), file(30_000, "sub", "deeper", "c.bin"));
        FileStorageProvider provider = provider(Settings.DEFAULTS, Disk.REAL);
        TorrentStorage storage = await(provider.open(t.metainfo(), dir));
        assertEquals(StorageState.READY, storage.state());
        writeAll(storage, t);
        verifyAll(storage);
        assertEquals(3, storage.completedCount());

        Path root = dir.resolve("multi");
        assertEquals(root, storage.location());
        assertArrayEquals(t.file(0), Files.readAllBytes(root.resolve("a.bin")));
        assertArrayEquals(t.file(1), Files.readAllBytes(root.resolve("sub/b.bin")));
        assertArrayEquals(t.file(2), Files.readAllBytes(root.resolve("sub/deeper/c.bin")));

        // A block that straddles all three files, read back through the storage.
        ByteBuffer block = ByteBuffer.allocate(20);
        storage.read(0, 9_995, block);
        assertArrayEquals(Arrays.copyOfRange(t.content(), 9_995, 10_015), block.array());
    }

    @Test
    void hashesAReceivedPieceFromTheBuffersItWasWrittenFrom() throws Exception {
        Torrents.Built t = Torrents.single("mem.bin", 32768, 65536, 5);
        FileStorageProvider provider = provider(Settings.DEFAULTS, Disk.REAL);
        TorrentStorage storage = await(provider.open(t.metainfo(), dir));
        writeAll(storage, t);
        // Behind the storage's back the file loses piece 0: only a read-back would notice.
        try (var file = java.nio.channels.FileChannel.open(dir.resolve("mem.bin"),
                java.nio.file.StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.allocate(32768), 0);
        }
        byte[] piece = t.piece(0);
        ByteBuffer first = ByteBuffer.allocateDirect(16384).put(piece, 0, 16384).flip();
        ByteBuffer second = ByteBuffer.allocateDirect(16384).put(piece, 16384, 16384).flip();
        assertTrue(await(storage.verify(0, new ByteBuffer[] {first, second})), "hashed from memory");
        assertEquals(16384, first.remaining(), "the caller's buffers are left as they were");
        assertTrue(storage.isComplete(0));
        // Not the whole piece: read back (and the zeros found fail).
        assertFalse(await(storage.verify(0, new ByteBuffer[] {first})), "read back");
        assertFalse(await(storage.verify(0, new ByteBuffer[] {first, null})), "read back");
        assertFalse(storage.isComplete(0));
        // Piece 1 was left alone on disk: read back when no buffers are given.
        assertTrue(await(storage.verify(1, null)));
    }

    @Test
    void adjacentBlocksInOneFileGoOutInOneGatheringWrite() throws Exception {
        Torrents.Built t = Torrents.multi("gather", 65536, 9, file(40_000, "a"), file(100_000, "b"));
        FailingDisk disk = new FailingDisk();
        FileStorageProvider provider = provider(Settings.DEFAULTS, disk);
        TorrentStorage storage = await(provider.open(t.metainfo(), dir));
        storage.write(0, 0, ByteBuffer.wrap(t.piece(0), 0, 1)); // opens and sizes a and b: not counted below
        storage.write(1, 0, ByteBuffer.wrap(t.piece(1), 0, 1));
        int positional = disk.positionalWrites.get();
        for (int piece = 0; piece < 2; piece++) {
            byte[] bytes = t.piece(piece);
            ByteBuffer[] blocks = new ByteBuffer[5];
            blocks[0] = ByteBuffer.allocate(0); // not written: from = 1
            for (int at = 0, i = 1; at < bytes.length; at += 16384, i++) {
                blocks[i] = ByteBuffer.allocateDirect(16384).put(bytes, at, 16384).flip();
            }
            storage.write(piece, 0, blocks, 1, 4);
            for (int i = 1; i < 5; i++) {
                assertFalse(blocks[i].hasRemaining(), "block " + i + " written");
            }
        }
        // Piece 1 (65536-131071) lies in b alone: one gathering write. Piece 0 spans a and b: block by block.
        assertEquals(1, disk.gatheringWrites.get());
        assertEquals(5, disk.positionalWrites.get() - positional, "piece 0's four blocks, one across the files");
        storage.write(2, 0, ByteBuffer.wrap(t.piece(2)));
        verifyAll(storage);
        Path root = dir.resolve("gather");
        assertArrayEquals(t.file(0), Files.readAllBytes(root.resolve("a")));
        assertArrayEquals(t.file(1), Files.readAllBytes(root.resolve("b")));
    }

    @Test
    void opensOneTorrentInTwoFoldersButNotTwiceInOne() throws Exception {
        Torrents.Built t = Torrents.multi("twice", 16384, 3, file(20_000, "a"), file(9_000, "b"));
        FileStorageProvider provider = provider(Settings.DEFAULTS, Disk.REAL);
        TorrentStorage first = await(provider.open(t.metainfo(), dir.resolve("one")));
        TorrentStorage second = await(provider.open(t.metainfo(), dir.resolve("two")));
        writeAll(second, t);
        verifyAll(second);
        assertEquals(0, first.completedCount(), "the copies are independent");
        java.util.concurrent.ExecutionException again = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class,
                () -> provider.open(t.metainfo(), dir.resolve("one/../one")).get(10, TimeUnit.SECONDS));
        assertTrue(again.getCause().getMessage().contains("already open"), again.getCause().getMessage());
        first.close();
        await(provider.open(t.metainfo(), dir.resolve("one"))).close();
        second.close();
    }

    @Test
    void neverWritesPadFilesButHashesTheirZeros() throws Exception {
        Torrents.Built t = Torrents.multi("padded", 16384, 2, file(10_000, "a"), pad(6_384), file(20_000, "b"));
        FileStorageProvider provider = provider(Settings.DEFAULTS, Disk.REAL);
        TorrentStorage storage = await(provider.open(t.metainfo(), dir));
        writeAll(storage, t);
        verifyAll(storage);
        try (var files = Files.walk(dir.resolve("padded"))) {
            assertEquals(2, files.filter(Files::isRegularFile).count(), "only a and b exist");
        }
        assertFalse(Files.exists(dir.resolve("padded/.pad")));
        ByteBuffer zeros = ByteBuffer.allocate(100);
        storage.read(0, 10_000, zeros);
        assertArrayEquals(new byte[100], zeros.array());
    }

    @Test
    void createsZeroLengthFilesOnOpen() throws Exception {
        Torrents.Built t = Torrents.multi("empties", 16384, 3,
                file(0, "first"), file(5_000, "data"), file(0, "nested", "dir", "empty"), file(0, "last"));
        FileStorageProvider provider = provider(Settings.DEFAULTS, Disk.REAL);
        TorrentStorage storage = await(provider.open(t.metainfo(), dir));
        Path root = dir.resolve("empties");
        for (String name : new String[] {"first", "nested/dir/empty", "last"}) {
            assertTrue(Files.isRegularFile(root.resolve(name)), name);
            assertEquals(0, Files.size(root.resolve(name)), name);
        }
        writeAll(storage, t);
        verifyAll(storage);
    }

    @Test
    void writesASingleFileTorrentIntoTheDownloadFolder() throws Exception {
        Torrents.Built t = Torrents.single("one.iso", 32768, 100_000, 4);
        FileStorageProvider provider = provider(Settings.DEFAULTS, Disk.REAL);
        TorrentStorage storage = await(provider.open(t.metainfo(), dir));
        writeAll(storage, t);
        verifyAll(storage);
        assertArrayEquals(t.content(), Files.readAllBytes(dir.resolve("one.iso")));
    }

    @Test
    void rejectsACorruptPieceAndForgetsAPieceThatNoLongerMatches() throws Exception {
        Torrents.Built t = Torrents.single("c.bin", 16384, 40_000, 5);
        FileStorageProvider provider = provider(Settings.DEFAULTS, Disk.REAL);
        TorrentStorage storage = await(provider.open(t.metainfo(), dir));
        writeAll(storage, t);
        verifyAll(storage);
        storage.write(1, 100, ByteBuffer.wrap(new byte[] {42, 43, 44}));
        assertFalse(await(storage.verify(1)));
        assertFalse(storage.isComplete(1));
        assertTrue(storage.isComplete(0));
    }

    @Test
    void hashesOnTheHashingPoolNeverOnTheCallersThread() throws Exception {
        Torrents.Built t = Torrents.single("h.bin", 16384, 40_000, 6);
        FailingDisk disk = new FailingDisk();
        FileStorageProvider provider = provider(Settings.DEFAULTS.withHashThreads(2), disk);
        TorrentStorage storage = await(provider.open(t.metainfo(), dir));
        writeAll(storage, t);
        provider.handles().closeAll();
        disk.opens.clear();
        verifyAll(storage);
        assertFalse(disk.opens.isEmpty());
        assertTrue(disk.opens.stream().allMatch(s -> s.endsWith(" read piecework-hash-1") || s.endsWith(" read piecework-hash-2")),
                disk.opens.toString());
    }

    @Test
    void keepsNoMoreFilesOpenThanConfigured() throws Exception {
        Torrents.Spec[] specs = new Torrents.Spec[12];
        for (int i = 0; i < specs.length; i++) {
            specs[i] = file(3_000 + i, "f" + i);
        }
        Torrents.Built t = Torrents.multi("many", 16384, 7, specs);
        FileStorageProvider provider = provider(Settings.DEFAULTS.withMaxOpenFiles(3), Disk.REAL);
        TorrentStorage storage = await(provider.open(t.metainfo(), dir));
        for (int i = 0; i < t.metainfo().pieceCount(); i++) {
            writePiece(storage, t, i);
            assertTrue(provider.handles().openCount() <= 3, "open files: " + provider.handles().openCount());
        }
        verifyAll(storage);
        assertTrue(provider.handles().openCount() <= 3);
        storage.close();
        assertEquals(0, provider.handles().openCount());
    }

    @Test
    void closesFilesLeftIdle() throws Exception {
        Torrents.Built t = Torrents.single("idle.bin", 16384, 20_000, 8);
        Settings settings = new Settings(256, false, 1, null, 50, 100, 2000);
        FileStorageProvider provider = provider(settings, Disk.REAL);
        TorrentStorage storage = await(provider.open(t.metainfo(), dir));
        writePiece(storage, t, 0);
        waitFor(() -> provider.handles().openCount() == 0, "idle file closed");
        writePiece(storage, t, 1);
        verifyAll(storage);
    }

    @Test
    void leavesFilesSparseUnlessPreallocating() throws Exception {
        long size = 8L << 20;
        Torrents.Built t = Torrents.single("sparse.bin", 1 << 20, size, 9);
        TorrentStorage sparse = await(provider(Settings.DEFAULTS, Disk.REAL).open(t.metainfo(), dir.resolve("s")));
        writePiece(sparse, t, 0);
        Path sparseFile = dir.resolve("s/sparse.bin");
        assertEquals(size, Files.size(sparseFile));
        assertTrue(allocated(sparseFile) < size / 2, "sparse file allocates " + allocated(sparseFile));

        TorrentStorage full = await(provider(Settings.DEFAULTS.withPreallocate(true), Disk.REAL)
                .open(t.metainfo(), dir.resolve("p")));
        writePiece(full, t, 0);
        Path fullFile = dir.resolve("p/sparse.bin");
        assertEquals(size, Files.size(fullFile));
        assertTrue(allocated(fullFile) >= size, "preallocated file allocates " + allocated(fullFile));
    }

    /** Bytes the file system allocated for the file, from stat(1). */
    private static long allocated(Path file) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).start();
        assertTrue(stat.waitFor(10, TimeUnit.SECONDS));
        String[] parts = new String(stat.getInputStream().readAllBytes()).trim().split(" ");
        return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
    }
}
