package io.piecework.storage.file.internal;

import static io.piecework.storage.file.internal.Torrents.Spec.file;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.storage.StorageException;
import io.piecework.api.storage.TorrentStorage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * Files and links planted where the storage writes (by another torrent, or anyone who can
 * write to the download folder): a resume record never vouches for data that is not there,
 * and nothing is written, truncated or deleted through a symbolic link.
 */
class HostileFilesTest extends StorageFixture {
    @TempDir
    Path sandbox;

    private final Torrents.Built torrent = Torrents.multi("t", 16384, 5, file(40_000, "a"), file(30_000, "sub", "b"));

    private Path downloads() throws Exception {
        return Files.createDirectories(sandbox.resolve("downloads"));
    }

    private Path outside() throws Exception {
        return Files.createDirectories(sandbox.resolve("outside"));
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> !p.equals(dir)).sorted().toList();
        }
    }

    private static RoaringBitmap all(int pieces) {
        RoaringBitmap bits = new RoaringBitmap();
        bits.add(0L, pieces);
        return bits;
    }

    /** The one resume file the storage wrote below {@code states}, wherever it names it. */
    private static Path onlyStateFile(Path states) throws Exception {
        try (Stream<Path> walk = Files.walk(states)) {
            List<Path> found = walk.filter(p -> p.toString().endsWith(".state")).toList();
            assertEquals(1, found.size(), found.toString());
            return found.get(0);
        }
    }

    @Test
    void aResumeRecordNeverVouchesForMissingFiles() throws Exception {
        Path states = sandbox.resolve("states");
        await(provider(Settings.DEFAULTS.withStateDir(states), Disk.REAL).open(torrent.metainfo(), downloads())).close();
        Path record = onlyStateFile(states);
        // Every piece claimed, every file "missing", as a record made before any download says.
        List<SavedState.Stamp> missing = new ArrayList<>();
        torrent.metainfo().files().forEach(f -> missing.add(SavedState.Stamp.MISSING));
        new SavedState(torrent.metainfo().infoHash(), all(torrent.metainfo().pieceCount()), missing).write(record);

        TorrentStorage again = await(provider(Settings.DEFAULTS.withStateDir(states), Disk.REAL)
                .open(torrent.metainfo(), downloads()));
        assertEquals(0, again.completedCount(), "no file, no piece");
    }

    @Test
    void aResumeRecordNeverVouchesForAFileOfTheWrongSize() throws Exception {
        Path states = sandbox.resolve("states");
        Path down = downloads();
        await(provider(Settings.DEFAULTS.withStateDir(states), Disk.REAL).open(torrent.metainfo(), down)).close();
        Path record = onlyStateFile(states);
        // Files of the wrong size that the record's stamps do match.
        Files.createDirectories(down.resolve("t/sub"));
        Files.write(down.resolve("t/a"), new byte[7]);
        Files.write(down.resolve("t/sub/b"), new byte[9]);
        List<SavedState.Stamp> stamps = List.of(
                new SavedState.Stamp(7, Files.getLastModifiedTime(down.resolve("t/a")).toMillis()),
                new SavedState.Stamp(9, Files.getLastModifiedTime(down.resolve("t/sub/b")).toMillis()));
        new SavedState(torrent.metainfo().infoHash(), all(torrent.metainfo().pieceCount()), stamps).write(record);

        TorrentStorage again = await(provider(Settings.DEFAULTS.withStateDir(states), Disk.REAL)
                .open(torrent.metainfo(), down));
        assertEquals(0, again.completedCount(), "short files hold no verified piece");
    }

    @Test
    void aRecordPlantedInTheLegacyResumeFolderIsNotTrusted() throws Exception {
        Path down = downloads();
        // What a torrent whose top folder is ".piecework" could write: a record for another
        // torrent, with files of the right size (garbage) and the stamps they carry.
        Files.createDirectories(down.resolve("t/sub"));
        Files.write(down.resolve("t/a"), new byte[40_000]);
        Files.write(down.resolve("t/sub/b"), new byte[30_000]);
        List<SavedState.Stamp> stamps = List.of(
                new SavedState.Stamp(40_000, Files.getLastModifiedTime(down.resolve("t/a")).toMillis()),
                new SavedState.Stamp(30_000, Files.getLastModifiedTime(down.resolve("t/sub/b")).toMillis()));
        Path legacy = down.resolve(".piecework").resolve(torrent.metainfo().infoHash().hex() + ".state");
        new SavedState(torrent.metainfo().infoHash(), all(torrent.metainfo().pieceCount()), stamps).write(legacy);

        TorrentStorage storage = await(provider(Settings.DEFAULTS, Disk.REAL).open(torrent.metainfo(), down));
        assertEquals(0, storage.completedCount(), "the planted record vouched for garbage");
        storage.close();
        assertFalse(Files.exists(legacy, LinkOption.NOFOLLOW_LINKS), "the legacy record is removed once migrated");
    }

    @Test
    void aLegacyRecordStillHelpsAsAHintAndMovesToTheStateFolder() throws Exception {
        Path down = downloads();
        Path states = sandbox.resolve("states");
        TorrentStorage storage = await(provider(Settings.DEFAULTS.withStateDir(states), Disk.REAL).open(torrent.metainfo(), down));
        writeAll(storage, torrent);
        verifyAll(storage);
        storage.close();
        Path record = onlyStateFile(states);
        Path legacy = down.resolve(".piecework").resolve(torrent.metainfo().infoHash().hex() + ".state");
        Files.createDirectories(legacy.getParent());
        Files.move(record, legacy);

        TorrentStorage again = await(provider(Settings.DEFAULTS.withStateDir(states), Disk.REAL).open(torrent.metainfo(), down));
        assertEquals(torrent.metainfo().pieceCount(), again.completedCount(), "real data found by hashing");
        again.close();
        assertFalse(Files.exists(down.resolve(".piecework"), LinkOption.NOFOLLOW_LINKS), "legacy folder removed");
        assertEquals(torrent.metainfo().pieceCount(), SavedState.read(onlyStateFile(states)).orElseThrow().pieces().getCardinality());
    }

    @Test
    void migrationDeletesNothingThroughALegacyFolderThatIsALink() throws Exception {
        Path down = downloads();
        Path outside = outside();
        Path victim = outside.resolve(torrent.metainfo().infoHash().hex() + ".state");
        Files.write(victim, "keep".getBytes());
        Files.createSymbolicLink(down.resolve(".piecework"), outside);

        await(provider(Settings.DEFAULTS.withStateDir(sandbox.resolve("states")), Disk.REAL)
                .open(torrent.metainfo(), down)).close();
        assertArrayEquals("keep".getBytes(), Files.readAllBytes(victim));
    }

    @Test
    void refusesToWriteThroughALinkInPlaceOfTheTorrentFolder() throws Exception {
        Path down = downloads();
        Path outside = outside();
        Files.createSymbolicLink(down.resolve("t"), outside);
        TorrentStorage storage = await(provider(Settings.DEFAULTS.withStateDir(sandbox.resolve("states")), Disk.REAL)
                .open(torrent.metainfo(), down));
        StorageException e = assertThrows(StorageException.class,
                () -> storage.write(0, 0, ByteBuffer.wrap(new byte[100])));
        assertEquals(StorageException.Kind.UNSAFE_PATH, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("refusing to write through symbolic link " + down.resolve("t")), e.getMessage());
        assertEquals(List.of(), files(outside), "nothing written outside");
    }

    @Test
    void refusesToWriteThroughALinkInPlaceOfAFile() throws Exception {
        Path down = downloads();
        Path outside = outside();
        Path victim = Files.write(outside.resolve("victim"), "keep".getBytes());
        Files.createDirectories(down.resolve("t"));
        Files.createSymbolicLink(down.resolve("t/a"), victim);
        TorrentStorage storage = await(provider(Settings.DEFAULTS.withStateDir(sandbox.resolve("states")), Disk.REAL)
                .open(torrent.metainfo(), down));
        StorageException e = assertThrows(StorageException.class,
                () -> storage.write(0, 0, ByteBuffer.wrap(new byte[100])));
        assertEquals(StorageException.Kind.UNSAFE_PATH, e.kind(), e.getMessage());
        assertArrayEquals("keep".getBytes(), Files.readAllBytes(victim));
    }

    @Test
    void removingDataDeletesNothingThroughALinkInPlaceOfTheTorrentFolder() throws Exception {
        Path down = downloads();
        Path outside = outside();
        Files.createDirectories(outside.resolve("sub"));
        Files.write(outside.resolve("a"), "keep".getBytes());
        Files.write(outside.resolve("sub/b"), "keep".getBytes());
        Files.createSymbolicLink(down.resolve("t"), outside);
        TorrentStorage storage = await(provider(Settings.DEFAULTS.withStateDir(sandbox.resolve("states")), Disk.REAL)
                .open(torrent.metainfo(), down));
        await(storage.remove(true));
        assertEquals(List.of(outside.resolve("a"), outside.resolve("sub"), outside.resolve("sub/b")), files(outside));
    }

    @Test
    void savingResumeDataDoesNotWriteThroughALinkAtItsTemporaryFile() throws Exception {
        Path states = sandbox.resolve("states");
        Path down = downloads();
        await(provider(Settings.DEFAULTS.withStateDir(states), Disk.REAL).open(torrent.metainfo(), down)).close();
        Path record = onlyStateFile(states);
        Path victim = Files.write(outside().resolve("victim"), "keep".getBytes());
        Files.createSymbolicLink(record.resolveSibling(record.getFileName() + ".tmp"), victim);

        await(provider(Settings.DEFAULTS.withStateDir(states), Disk.REAL).open(torrent.metainfo(), down)).close();
        assertArrayEquals("keep".getBytes(), Files.readAllBytes(victim));
    }

    @Test
    void refusesTorrentFilesInsideTheStateFolder() throws Exception {
        Path home = downloads();
        Path states = home.resolve(".local/state/piecework/resume");
        Torrents.Built sneaky = Torrents.multi(".local", 16384, 6, file(100, "state", "piecework", "resume", "x.state"));
        StorageException e = assertThrows(StorageException.class,
                () -> await(provider(Settings.DEFAULTS.withStateDir(states), Disk.REAL).open(sneaky.metainfo(), home)));
        assertEquals(StorageException.Kind.UNSAFE_PATH, e.kind(), e.getMessage());
    }

    @Test
    void refusesToMoveTorrentFilesIntoTheStateFolder() throws Exception {
        Path home = downloads();
        Path states = home.resolve(".local/state/piecework/resume");
        Torrents.Built sneaky = Torrents.multi(".local", 16384, 6, file(100, "state", "piecework", "resume", "x.state"));
        TorrentStorage storage = await(provider(Settings.DEFAULTS.withStateDir(states), Disk.REAL)
                .open(sneaky.metainfo(), sandbox.resolve("elsewhere")));
        StorageException e = assertThrows(StorageException.class, () -> await(storage.move(home)));
        assertEquals(StorageException.Kind.UNSAFE_PATH, e.kind(), e.getMessage());
    }

    @Test
    void aFolderAndALinkToItAreOneDownloadFolder() throws Exception {
        Path down = downloads();
        Path link = Files.createSymbolicLink(sandbox.resolve("link"), down);
        FileStorageProvider provider = provider(Settings.DEFAULTS.withStateDir(sandbox.resolve("states")), Disk.REAL);
        await(provider.open(torrent.metainfo(), down));
        StorageException e = assertThrows(StorageException.class, () -> await(provider.open(torrent.metainfo(), link)));
        assertEquals(StorageException.Kind.UNAVAILABLE, e.kind(), e.getMessage());
    }
}
