package io.piecework.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InfoHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session file on disk: replaced atomically, the previous copy kept and used when the file is not. */
class SessionStoreTest {
    @TempDir
    Path dir;

    static SessionEntry entry(int n, boolean started) {
        byte[] hash = new byte[20];
        Arrays.fill(hash, (byte) n);
        return new SessionEntry(InfoHash.of(hash), Path.of("/data/t" + n), started, "");
    }

    private final List<SessionEntry> first = List.of(entry(1, true), entry(2, false));
    private final List<SessionEntry> second = List.of(entry(1, true), entry(2, true), entry(3, false));

    private Path file() {
        return dir.resolve(SessionStore.FILE);
    }

    @Test
    void writesTheListAndKeepsTheCopyItReplaces() throws IOException {
        try (SessionStore store = SessionStore.open(dir)) {
            store.write(first);
            store.write(second);
            assertEquals(second, store.read());
        }
        assertEquals(first, SessionCodec.decode(Files.readAllBytes(dir.resolve(SessionStore.PREVIOUS))));
        assertFalse(Files.exists(dir.resolve(SessionStore.FILE + ".tmp")), "no temporary file left");
    }

    @Test
    void aCorruptFileIsRecoveredFromThePreviousCopyAndKeptAside() throws IOException {
        try (SessionStore store = SessionStore.open(dir)) {
            store.write(first);
            store.write(second);
            Files.write(file(), "d7:versioni1e8:torrentsl4:junkee".getBytes());
            assertEquals(first, store.read());
            assertTrue(Files.exists(dir.resolve(SessionStore.FILE + ".corrupt")), "the corrupt file is kept aside");
            // The next save does not rotate the good previous copy away: there is no current file.
            store.write(second);
            assertEquals(first, SessionCodec.decode(Files.readAllBytes(dir.resolve(SessionStore.PREVIOUS))));
        }
    }

    @Test
    void aTruncatedFileIsRecoveredFromThePreviousCopy() throws IOException {
        try (SessionStore store = SessionStore.open(dir)) {
            store.write(first);
            store.write(second);
            byte[] whole = Files.readAllBytes(file());
            Files.write(file(), Arrays.copyOf(whole, whole.length / 2));
            assertEquals(first, store.read());
        }
    }

    @Test
    void aSaveInterruptedBetweenItsRenamesLeavesThePreviousCopy() throws IOException {
        try (SessionStore store = SessionStore.open(dir)) {
            store.write(first);
            store.write(second);
            Files.move(file(), dir.resolve(SessionStore.FILE + ".tmp")); // as if killed before the last rename
            assertEquals(first, store.read());
            store.write(second); // and the leftover temporary file does not block the next save
            assertEquals(second, store.read());
        }
    }

    @Test
    void whenBothCopiesAreCorruptItStartsEmptyAndKeepsBothAside() throws IOException {
        try (SessionStore store = SessionStore.open(dir)) {
            store.write(first);
            store.write(second);
            Files.write(file(), new byte[] {'x'});
            Files.write(dir.resolve(SessionStore.PREVIOUS), new byte[0]);
            assertEquals(List.of(), store.read());
            assertTrue(Files.exists(dir.resolve(SessionStore.FILE + ".corrupt")));
            assertTrue(Files.exists(dir.resolve(SessionStore.PREVIOUS + ".corrupt")));
        }
    }

    @Test
    void noFileMeansNoTorrents() throws IOException {
        try (SessionStore store = SessionStore.open(dir)) {
            assertEquals(List.of(), store.read());
        }
    }

    @Test
    void aSecondProcessOrComponentCannotOpenTheSameSession() throws IOException {
        try (SessionStore store = SessionStore.open(dir)) {
            IOException e = assertThrows(IOException.class, () -> SessionStore.open(dir));
            assertTrue(e.getMessage().contains("in use by another Piecework"), e.getMessage());
        }
        SessionStore.open(dir).close(); // released on close
    }

    @Test
    void aFileLargerThanTheLimitIsNotReadWhole() throws IOException {
        Path big = dir.resolve("big");
        Files.write(big, new byte[1025]);
        assertThrows(InvalidSessionException.class, () -> AtomicFiles.read(big, 1024));
    }

    @Test
    void savedTorrentFilesOfTorrentsGoneAreDeleted() throws IOException {
        try (SessionStore store = SessionStore.open(dir)) {
            store.saveTorrent(entry(1, true).infoHash(), new byte[] {1});
            store.saveTorrent(entry(2, true).infoHash(), new byte[] {2});
            store.removeTorrentsExcept(java.util.Set.of(entry(2, true).infoHash()));
            assertFalse(Files.exists(store.torrentFile(entry(1, true).infoHash())));
            assertTrue(Files.exists(store.torrentFile(entry(2, true).infoHash())));
        }
    }
}
