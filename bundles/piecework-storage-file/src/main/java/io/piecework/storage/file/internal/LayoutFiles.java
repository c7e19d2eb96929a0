package io.piecework.storage.file.internal;

import io.piecework.api.storage.StorageException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A torrent's files as a whole, in one layout: listed, copied to another folder, deleted. */
final class LayoutFiles {
    private LayoutFiles() {
    }

    static List<Path> paths(FileLayout on) {
        List<Path> paths = new ArrayList<>();
        for (int f = 0; f < on.fileCount(); f++) {
            if (on.path(f) != null) {
                paths.add(on.path(f));
            }
        }
        return paths;
    }

    /** Copies file by file through a ".part" name: a file under its real name is a complete copy. */
    static void copyAll(FileLayout source, FileLayout target) throws IOException {
        for (int f = 0; f < source.fileCount(); f++) {
            Path from = source.path(f);
            if (from == null) {
                continue;
            }
            Path to = target.path(f);
            if (Files.exists(to, LinkOption.NOFOLLOW_LINKS) || !Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
                continue; // copied by an earlier attempt, or never downloaded
            }
            Path part = to.resolveSibling(to.getFileName() + ".part");
            try {
                SafePaths.prepare(target.downloadDir(), part, source.metainfo());
                SafePaths.prepare(target.downloadDir(), to, source.metainfo());
                // REPLACE_EXISTING deletes a stale .part (or a link there) and creates it afresh.
                Files.copy(from, part, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                try {
                    Files.move(part, to, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(part, to);
                }
            } catch (StorageException e) {
                throw e;
            } catch (IOException e) {
                throw IoFailures.classify(e, to, "copying to");
            }
        }
    }

    /**
     * Deletes the torrent's files, then the folders they leave empty (never above its folder),
     * never through a link: a file below a folder that is a link is not the torrent's.
     */
    static void deleteAll(FileLayout on, Path stateFile) throws IOException {
        for (Path path : paths(on)) {
            if (SafePaths.noLinkAbove(on.downloadDir(), path)) {
                Files.deleteIfExists(path);
            }
        }
        if (stateFile != null) {
            Files.deleteIfExists(stateFile);
        }
        if (on.metainfo().multiFile() && Files.isDirectory(on.root(), LinkOption.NOFOLLOW_LINKS)) {
            List<Path> dirs;
            try (Stream<Path> walk = Files.walk(on.root())) {
                dirs = walk.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                        .sorted(Comparator.reverseOrder()).toList();
            }
            for (Path dir : dirs) {
                try {
                    Files.delete(dir);
                } catch (DirectoryNotEmptyException e) {
                    // Holds files that are not the torrent's: leave them.
                }
            }
        }
    }
}
