package io.piecework.storage.file.internal;

import static io.piecework.storage.file.internal.Torrents.Spec.file;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.storage.StorageState;
import io.piecework.api.storage.TorrentStorage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

class ResumeTest extends StorageFixture {
    @TempDir
    Path dir;

    private final Torrents.Built torrent = Torrents.multi("resume", 16384, 11,
            file(40_000, "a"), file(30_000, "b"), file(50_000, "c"));

    /** So long that no stall of a loaded machine lets a file written by the test settle. */
    private static final Settings SLOW_TICKS = Settings.DEFAULTS.withRacyMillis(600_000);

    private Path stateFile() {
        return StateLocation.file(StateLocation.defaultDir(), torrent.metainfo().infoHash(), dir);
    }

    private Optional<SavedState> saved() {
        try {
            return SavedState.read(stateFile());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private TorrentStorage complete(FileStorageProvider provider) throws Exception {
        TorrentStorage storage = await(provider.open(torrent.metainfo(), dir));
        writeAll(storage, torrent);
        verifyAll(storage);
        return storage;
    }

    private static RoaringBitmap range(int from, int to) {
        RoaringBitmap bitmap = new RoaringBitmap();
        bitmap.add((long) from, (long) to);
        return bitmap;
    }

    @Test
    void savesEachVerifiedPieceSoonAfterwards() throws Exception {
        FileStorageProvider provider = provider(Settings.DEFAULTS, Disk.REAL);
        TorrentStorage storage = await(provider.open(torrent.metainfo(), dir));
        writePiece(storage, torrent, 3);
        assertTrue(await(storage.verify(3)));
        waitFor(() -> saved().map(s -> s.pieces().contains(3)).orElse(false), "piece 3 saved");
        assertFalse(Files.exists(stateFile().resolveSibling(stateFile().getFileName() + ".tmp")));
    }

    @Test
    void trustsSavedPiecesWhoseFilesAreUnchangedWithoutHashing() throws Exception {
        complete(provider(Settings.DEFAULTS, Disk.REAL)).close();
        FailingDisk disk = new FailingDisk();
        TorrentStorage again = await(provider(Settings.DEFAULTS, disk).open(torrent.metainfo(), dir));
        assertEquals(torrent.metainfo().pieceCount(), again.completedCount());
        assertEquals(0, disk.readOpens(), "nothing read: " + disk.opens);
    }

    @Test
    void verifiesAgainOnlyThePiecesOfAChangedFile() throws Exception {
        complete(provider(Settings.DEFAULTS, Disk.REAL)).close();
        Path a = dir.resolve("resume/a");
        Path b = dir.resolve("resume/b");
        // b changes (new time); a is altered behind our back with its stamp restored, which
        // only a full recheck could notice: proof that unchanged files are not hashed again.
        FileTime aTime = Files.getLastModifiedTime(a);
        flip(a, 100);
        Files.setLastModifiedTime(a, aTime);
        flip(b, 100);
        Files.setLastModifiedTime(b, FileTime.fromMillis(Files.getLastModifiedTime(b).toMillis() + 5_000));

        TorrentStorage again = await(provider(Settings.DEFAULTS, Disk.REAL).open(torrent.metainfo(), dir));
        // b covers bytes 40000..70000: pieces 2, 3 and 4 are hashed again; byte 40100 is in piece 2.
        RoaringBitmap expected = range(0, torrent.metainfo().pieceCount());
        expected.remove(2);
        assertEquals(expected, again.completed());
        assertFalse(await(again.recheck()).contains(0), "a full recheck finds what the stamps hid");
    }

    /** Opens through a storage we hold, so it can be closed while its open-time check is pending. */
    private FileStorage opening(FileStorageProvider provider, Hashing hashing) throws Exception {
        FileStorage storage = new FileStorage(provider, FileLayout.of(torrent.metainfo(), dir), hashing);
        storage.start();
        return storage;
    }

    @Test
    void aCloseWhileCheckingOnOpenKeepsThePiecesStillToCheck() throws Exception {
        complete(provider(Settings.DEFAULTS, Disk.REAL)).close();
        int all = torrent.metainfo().pieceCount();
        Path b = dir.resolve("resume/b");
        Files.setLastModifiedTime(b, FileTime.fromMillis(Files.getLastModifiedTime(b).toMillis() + 5_000));

        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (Hashing hashing = new Hashing(1, "test-hash")) {
            hashing.submit(worker -> release.await(10, java.util.concurrent.TimeUnit.SECONDS)); // holds the pool
            FileStorage storage = opening(provider(Settings.DEFAULTS, Disk.REAL), hashing);
            // b covers pieces 2, 3 and 4: the other five are trusted, those three wait for the pool.
            waitFor(() -> storage.completedCount() == all - 3, "the pieces of unchanged files trusted");
            storage.close();
            release.countDown();
        }
        assertEquals(all, saved().orElseThrow().pieces().getCardinality(), "the unchecked pieces are kept");

        TorrentStorage again = await(provider(Settings.DEFAULTS, Disk.REAL).open(torrent.metainfo(), dir));
        assertEquals(range(0, all), again.completed(), "and checked on the next open");
    }

    @Test
    void aCloseBeforeTheResumeFileIsReadLeavesItAsItWas() throws Exception {
        complete(provider(Settings.DEFAULTS, Disk.REAL)).close();
        int all = torrent.metainfo().pieceCount();
        FileStorageProvider provider = provider(Settings.DEFAULTS, Disk.REAL);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        provider.io().execute(() -> {
            try {
                release.await(10, java.util.concurrent.TimeUnit.SECONDS); // holds the open's first step
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (Hashing hashing = new Hashing(1, "test-hash")) {
            FileStorage storage = opening(provider, hashing);
            storage.close();
            release.countDown();
        }
        assertEquals(all, saved().orElseThrow().pieces().getCardinality(), "nothing verified is lost");
    }

    private static void flip(Path file, long at) throws IOException {
        int old = raw(file, at);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(at);
            raf.write(~old);
        }
    }

    private static int raw(Path file, long at) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(at);
            return raf.read();
        }
    }

    @Test
    void findsACompleteTorrentIncompleteOnceItsFilesAreDeleted() throws Exception {
        complete(provider(Settings.DEFAULTS, Disk.REAL)).close();
        Files.delete(dir.resolve("resume/a"));
        Files.delete(dir.resolve("resume/b"));
        Files.delete(dir.resolve("resume/c"));
        TorrentStorage again = await(provider(Settings.DEFAULTS, Disk.REAL).open(torrent.metainfo(), dir));
        assertEquals(0, again.completedCount());
        waitFor(() -> saved().map(s -> s.pieces().isEmpty()).orElse(false), "emptied completion saved");
    }

    @Test
    void findsExistingDataWhenThereIsNoResumeFile() throws Exception {
        complete(provider(Settings.DEFAULTS, Disk.REAL)).close();
        Files.delete(stateFile());
        TorrentStorage again = await(provider(Settings.DEFAULTS, Disk.REAL).open(torrent.metainfo(), dir));
        assertEquals(torrent.metainfo().pieceCount(), again.completedCount());
    }

    @Test
    void treatsADamagedResumeFileAsAbsent() throws Exception {
        complete(provider(Settings.DEFAULTS, Disk.REAL)).close();
        Files.write(stateFile(), "d7:version".getBytes());
        TorrentStorage again = await(provider(Settings.DEFAULTS, Disk.REAL).open(torrent.metainfo(), dir));
        assertEquals(torrent.metainfo().pieceCount(), again.completedCount(), "found again by hashing");
    }

    @Test
    void keepsResumeFilesInTheConfiguredFolder() throws Exception {
        Path states = dir.resolve("states");
        FileStorageProvider provider = provider(Settings.DEFAULTS.withStateDir(states), Disk.REAL);
        TorrentStorage storage = await(provider.open(torrent.metainfo(), dir));
        writeAll(storage, torrent);
        verifyAll(storage);
        storage.close();
        assertTrue(Files.isRegularFile(StateLocation.file(states, torrent.metainfo().infoHash(), dir)));
        assertFalse(Files.exists(dir.resolve(".piecework")));
    }

    @Test
    void movesDataAndCompletionToAnotherFolder() throws Exception {
        TorrentStorage storage = complete(provider(Settings.DEFAULTS, Disk.REAL));
        Path target = dir.resolve("elsewhere");
        await(storage.move(target));
        assertEquals(StorageState.READY, storage.state());
        assertEquals(target.resolve("resume"), storage.location());
        assertFalse(Files.exists(dir.resolve("resume")), "old folder removed");
        assertArrayEquals(torrent.file(1), Files.readAllBytes(target.resolve("resume/b")));
        verifyAll(storage);
        storage.close();

        FailingDisk disk = new FailingDisk();
        TorrentStorage again = await(provider(Settings.DEFAULTS, disk).open(torrent.metainfo(), target));
        assertEquals(torrent.metainfo().pieceCount(), again.completedCount());
        assertEquals(0, disk.readOpens(), "moved resume data trusted: " + disk.opens);
    }

    @Test
    void continuesAnInterruptedMove() throws Exception {
        TorrentStorage storage = complete(provider(Settings.DEFAULTS, Disk.REAL));
        Path target = dir.resolve("elsewhere");
        // A first attempt copied "a" completely and died while copying "b".
        Files.createDirectories(target.resolve("resume"));
        Files.copy(dir.resolve("resume/a"), target.resolve("resume/a"));
        Files.write(target.resolve("resume/b.part"), new byte[123]);
        await(storage.move(target));
        for (int f = 0; f < 3; f++) {
            assertArrayEquals(torrent.file(f), Files.readAllBytes(target.resolve("resume").resolve(new String[] {"a", "b", "c"}[f])));
        }
        assertFalse(Files.exists(target.resolve("resume/b.part")));
        verifyAll(storage);
    }

    @Test
    void removesATorrentKeepingItsData() throws Exception {
        TorrentStorage storage = complete(provider(Settings.DEFAULTS, Disk.REAL));
        await(storage.remove(false));
        assertEquals(StorageState.CLOSED, storage.state());
        assertFalse(Files.exists(stateFile()));
        assertTrue(Files.exists(dir.resolve("resume/a")));
    }

    @Test
    void removesATorrentWithItsDataButNotForeignFiles() throws Exception {
        TorrentStorage storage = complete(provider(Settings.DEFAULTS, Disk.REAL));
        Files.write(dir.resolve("resume/notes.txt"), new byte[] {1});
        await(storage.remove(true));
        assertFalse(Files.exists(dir.resolve("resume/a")));
        assertFalse(Files.exists(stateFile()));
        assertTrue(Files.exists(dir.resolve("resume/notes.txt")), "a file the torrent does not own stays");
    }

    @Test
    void piecesVerifiedTooLateToBeSavedAreFoundAgainInTheirChangedFile() throws Exception {
        // Pieces 0-4 verified and saved. The next run saves on open, then piece 6 is written in
        // the same clock tick (its file keeps the saved size and time) and verified, and the
        // process dies before the coalesced save: putting back the resume file as the open left
        // it stands in for kill -9 landing in that window.
        TorrentStorage storage = await(provider(SLOW_TICKS, Disk.REAL).open(torrent.metainfo(), dir));
        for (int piece = 0; piece < 5; piece++) {
            writePiece(storage, torrent, piece);
            assertTrue(await(storage.verify(piece)));
        }
        storage.close();
        TorrentStorage late = await(provider(SLOW_TICKS, Disk.REAL).open(torrent.metainfo(), dir));
        byte[] savedOnOpen = Files.readAllBytes(stateFile());
        Path c = dir.resolve("resume").resolve("c");
        FileTime before = Files.getLastModifiedTime(c);
        writePiece(late, torrent, 6);
        Files.setLastModifiedTime(c, before);
        assertTrue(await(late.verify(6)));
        late.close();
        Files.write(stateFile(), savedOnOpen);

        TorrentStorage again = await(provider(SLOW_TICKS, Disk.REAL).open(torrent.metainfo(), dir));
        waitFor(() -> again.isComplete(6), "piece 6 found by hashing its file, not downloaded again");
        assertEquals(6, again.completedCount());
    }

    @Test
    void aSaveWhileWritingDoesNotVouchForFilesChangedWithinTheRacyWindow() throws Exception {
        TorrentStorage storage = await(provider(SLOW_TICKS, Disk.REAL).open(torrent.metainfo(), dir));
        writePiece(storage, torrent, 0);
        assertTrue(await(storage.verify(0)));
        waitFor(() -> saved().map(s -> s.pieces().contains(0)).orElse(false), "piece 0 saved");
        assertEquals(SavedState.Stamp.UNCHECKED, saved().orElseThrow().files().get(0));
        storage.close();
        assertEquals(Files.getLastModifiedTime(dir.resolve("resume").resolve("a")).toMillis(),
                saved().orElseThrow().files().get(0).modified(), "nothing writes after a close: it saves real stamps");
    }

    @Test
    void racyStampsAreReplacedOnceTheFilesHaveBeenQuiet() throws Exception {
        TorrentStorage storage = await(provider(Settings.DEFAULTS.withRacyMillis(200), Disk.REAL).open(torrent.metainfo(), dir));
        writePiece(storage, torrent, 0);
        assertTrue(await(storage.verify(0)));
        waitFor(() -> saved().map(s -> s.pieces().contains(0) && s.files().get(0).size() >= 0).orElse(false),
                "the real stamp saved once the file has been quiet");
        assertEquals(Files.getLastModifiedTime(dir.resolve("resume").resolve("a")).toMillis(),
                saved().orElseThrow().files().get(0).modified());
        storage.close();
    }
}
