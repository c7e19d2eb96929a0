package io.piecework.storage.file.internal;

import static io.piecework.storage.file.internal.Torrents.Spec.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.storage.StorageException;
import io.piecework.api.storage.StorageState;
import io.piecework.api.storage.TorrentStorage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk errors stop the torrent with a clear message, keep what was verified, and a retry after
 * the fix continues. "Disk full" and "permission denied" are simulated through {@link FailingDisk}
 * (root ignores permissions; no tmpfs can be mounted here); "a directory where a file belongs" is real.
 */
class ErrorTest extends StorageFixture {
    @TempDir
    Path dir;

    private final Torrents.Built torrent = Torrents.multi("err", 16384, 21, file(40_000, "a"), file(30_000, "b"));

    private Path stateFile() {
        return StateLocation.file(StateLocation.defaultDir(), torrent.metainfo().infoHash(), dir);
    }

    private int savedPieces() {
        try {
            return SavedState.read(stateFile()).map(s -> s.pieces().getCardinality()).orElse(0);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /** Pieces 0 and 1 are verified before the fault; piece 3 (in b) meets it. */
    private TorrentStorage started(FailingDisk disk) throws Exception {
        TorrentStorage storage = await(provider(Settings.DEFAULTS, disk).open(torrent.metainfo(), dir));
        writePiece(storage, torrent, 0);
        writePiece(storage, torrent, 1);
        assertTrue(await(storage.verify(0)));
        assertTrue(await(storage.verify(1)));
        waitFor(() -> savedPieces() == 2, "pieces 0 and 1 saved");
        return storage;
    }

    private void assertStoppedThenContinues(TorrentStorage storage, StorageException.Kind kind, String message,
                                            Runnable fix) throws Exception {
        StorageException e = assertThrows(StorageException.class, () -> writePiece(storage, torrent, 3));
        assertEquals(kind, e.kind());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(StorageState.ERROR, storage.state());
        assertEquals(e, storage.error().orElseThrow());

        StorageException refused = assertThrows(StorageException.class, () -> writePiece(storage, torrent, 2));
        assertEquals(StorageException.Kind.UNAVAILABLE, refused.kind());
        assertTrue(refused.getMessage().contains(message), "says why: " + refused.getMessage());
        assertTrue(storage.isComplete(0) && storage.isComplete(1), "verified pieces kept");
        assertTrue(SavedState.read(stateFile()).orElseThrow().pieces().contains(1), "and saved");

        fix.run();
        storage.retry();
        assertEquals(StorageState.READY, storage.state());
        for (int piece = 2; piece < torrent.metainfo().pieceCount(); piece++) {
            writePiece(storage, torrent, piece);
        }
        verifyAll(storage);
    }

    @Test
    void stopsOnAFullDiskAndContinuesAfterRetry() throws Exception {
        FailingDisk disk = new FailingDisk();
        TorrentStorage storage = started(disk);
        disk.diskFull = true;
        assertStoppedThenContinues(storage, StorageException.Kind.DISK_FULL, "disk full writing", () -> disk.diskFull = false);
    }

    @Test
    void stopsWhenWritingIsDeniedAndContinuesAfterRetry() throws Exception {
        FailingDisk disk = new FailingDisk();
        TorrentStorage storage = started(disk);
        disk.denyWrites = true;
        assertStoppedThenContinues(storage, StorageException.Kind.PERMISSION_DENIED, "permission denied",
                () -> disk.denyWrites = false);
    }

    @Test
    void stopsWhenADirectoryReplacedAFileAndContinuesAfterRetry() throws Exception {
        TorrentStorage storage = started(new FailingDisk());
        Path b = dir.resolve("err/b");
        storage.close();
        // Reopen so b is not held open, then put a directory in its place.
        Files.deleteIfExists(b);
        Files.createDirectories(b.resolve("inside"));
        TorrentStorage reopened = await(provider(Settings.DEFAULTS, Disk.REAL).open(torrent.metainfo(), dir));
        assertTrue(reopened.isComplete(0), "piece 0 lies in a only and stays trusted");
        assertStoppedThenContinues(reopened, StorageException.Kind.NOT_A_FILE, "is a directory", () -> {
            try {
                Files.delete(b.resolve("inside"));
                Files.delete(b);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void failsAVerificationThatCannotReadAndStops() throws Exception {
        FailingDisk disk = new FailingDisk();
        TorrentStorage storage = started(disk);
        Path a = dir.resolve("err/a");
        storage.close();
        TorrentStorage reopened = await(provider(Settings.DEFAULTS, disk).open(torrent.metainfo(), dir));
        Files.delete(a);
        Files.createDirectory(a);
        StorageException e = assertThrows(StorageException.class, () -> await(reopened.verify(0)));
        assertEquals(StorageException.Kind.NOT_A_FILE, e.kind());
        assertEquals(StorageState.ERROR, reopened.state());
    }

    @Test
    void aDiskErrorWhileCheckingOnOpenForgetsNoVerifiedPiece() throws Exception {
        TorrentStorage first = await(provider(Settings.DEFAULTS, Disk.REAL).open(torrent.metainfo(), dir));
        writeAll(first, torrent);
        verifyAll(first);
        first.close();
        int all = torrent.metainfo().pieceCount();
        Path b = dir.resolve("err/b");
        byte[] bBytes = Files.readAllBytes(b);
        Files.delete(b);
        Files.createDirectory(b);

        TorrentStorage broken = await(provider(Settings.DEFAULTS, Disk.REAL).open(torrent.metainfo(), dir));
        assertEquals(StorageState.ERROR, broken.state(), "opened, but stopped");
        assertEquals(StorageException.Kind.NOT_A_FILE, broken.error().orElseThrow().kind());
        assertTrue(broken.isComplete(0) && broken.isComplete(1), "pieces in a alone are kept");
        broken.close();
        assertEquals(all, SavedState.read(stateFile()).orElseThrow().pieces().getCardinality(),
                "the pieces that could not be checked are still in the resume file");

        TorrentStorage again = await(provider(Settings.DEFAULTS, Disk.REAL).open(torrent.metainfo(), dir));
        assertEquals(StorageState.ERROR, again.state());
        Files.delete(b);
        Files.write(b, bBytes);
        again.retry();
        waitFor(() -> again.completedCount() == all, "retry checks the unsettled pieces again");
        assertEquals(StorageState.READY, again.state());
    }

    @Test
    void anInterruptedCallerNeitherStopsTheTorrentNorBreaksItsFilesForOthers() throws Exception {
        TorrentStorage storage = started(new FailingDisk());
        java.util.concurrent.atomic.AtomicReference<Throwable> seen = new java.util.concurrent.atomic.AtomicReference<>();
        Thread reader = new Thread(() -> {
            Thread.currentThread().interrupt();
            try {
                storage.read(0, 0, ByteBuffer.allocate(1000));
            } catch (Throwable t) {
                seen.set(t);
            }
        });
        reader.start();
        reader.join(10_000);
        StorageException e = (StorageException) seen.get();
        assertEquals(StorageException.Kind.UNAVAILABLE, e.kind(), e.getMessage());
        assertEquals(StorageState.READY, storage.state());
        ByteBuffer back = ByteBuffer.allocate(1000);
        storage.read(0, 0, back);
        assertEquals(ByteBuffer.wrap(torrent.content(), 0, 1000), back.flip());
        assertTrue(await(storage.verify(1)));
    }

    @Test
    void aMissingFileMakesAPieceIncompleteNotAnError() throws Exception {
        TorrentStorage storage = await(provider(Settings.DEFAULTS, Disk.REAL).open(torrent.metainfo(), dir));
        assertEquals(false, await(storage.verify(4)));
        assertEquals(StorageState.READY, storage.state());
        StorageException e = assertThrows(StorageException.class, () -> storage.read(4, 0, ByteBuffer.allocate(10)));
        assertEquals(StorageException.Kind.IO, e.kind());
    }
}
