package io.piecework.session.internal;

import io.piecework.api.metainfo.InfoHash;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's folder: {@value #FILE} (the list of torrents), {@value #PREVIOUS} (the copy
 * it replaced), {@code torrents/<info-hash>.torrent} (each torrent's metadata) and a lock
 * file, so two Piecework processes (a daemon and a shell) never write one session at once.
 * A file that cannot be read is moved aside as {@code *.corrupt} and the previous copy used,
 * with a log line that says so.
 */
final class SessionStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);
    static final String FILE = "session.bencode";
    static final String PREVIOUS = "session.bencode.previous";
    private static final String TORRENTS = "torrents";

    private final Path folder;
    private final FileChannel lockFile;
    private final FileLock lock;

    private SessionStore(Path folder, FileChannel lockFile, FileLock lock) {
        this.folder = folder;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /** Opens (creating) the folder and takes its lock; fails when another process holds it. */
    static SessionStore open(Path folder) throws IOException {
        Files.createDirectories(folder.resolve(TORRENTS));
        FileChannel channel = FileChannel.open(folder.resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("the session in " + folder + " is in use by another Piecework (a daemon or a"
                    + " shell); this one keeps no session");
        }
        return new SessionStore(folder, channel, lock);
    }

    Path folder() {
        return folder;
    }

    Path torrentFile(InfoHash infoHash) {
        return folder.resolve(TORRENTS).resolve(infoHash.hex() + ".torrent");
    }

    /**
     * The saved torrents: from {@value #FILE}, else from {@value #PREVIOUS}; none when neither
     * exists or neither can be read (both then kept aside, never overwritten).
     */
    List<SessionEntry> read() {
        Path current = folder.resolve(FILE);
        Path previous = folder.resolve(PREVIOUS);
        if (Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
            try {
                return SessionCodec.decode(AtomicFiles.read(current, SessionCodec.MAX_FILE_BYTES));
            } catch (IOException e) {
                Path aside = setAside(current);
                LOG.warn("session file {} cannot be used ({}); kept as {}; recovering from the previous copy {}",
                        current, e.getMessage(), aside, previous);
            }
        } else if (Files.exists(previous, LinkOption.NOFOLLOW_LINKS)) {
            LOG.warn("session file {} is missing (a save was interrupted); recovering from the previous copy {}",
                    current, previous);
        } else {
            return List.of();
        }
        try {
            List<SessionEntry> entries = SessionCodec.decode(AtomicFiles.read(previous, SessionCodec.MAX_FILE_BYTES));
            LOG.warn("session recovered from the previous copy {}: {} torrents", previous, entries.size());
            return entries;
        } catch (IOException e) {
            Path aside = Files.exists(previous, LinkOption.NOFOLLOW_LINKS) ? setAside(previous) : previous;
            LOG.error("the previous session copy {} cannot be used either ({}); kept as {}; starting with no torrents",
                    previous, e.getMessage(), aside);
            return List.of();
        }
    }

    /** Saves the list; the file it replaces becomes the previous copy. */
    void write(List<SessionEntry> entries) throws IOException {
        AtomicFiles.write(folder.resolve(FILE), SessionCodec.encode(entries), folder.resolve(PREVIOUS));
    }

    /** Saves a torrent's .torrent unless already there (its bytes never change: they hash to its name). */
    void saveTorrent(InfoHash infoHash, byte[] torrent) throws IOException {
        Path file = torrentFile(infoHash);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            AtomicFiles.write(file, torrent, null);
        }
    }

    /** Deletes the saved .torrent files of torrents no longer in the session. */
    void removeTorrentsExcept(Set<InfoHash> kept) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder.resolve(TORRENTS), "*.torrent")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String hex = name.substring(0, name.length() - ".torrent".length());
                if (!hex.matches("[0-9a-f]{40}") || !kept.contains(InfoHash.parse(hex))) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private static Path setAside(Path file) {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return aside;
        } catch (IOException e) {
            LOG.warn("could not move {} aside: {}", file, e.getMessage());
            return file;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockFile.close();
        }
    }
}
