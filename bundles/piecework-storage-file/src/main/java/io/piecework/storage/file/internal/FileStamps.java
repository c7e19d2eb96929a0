package io.piecework.storage.file.internal;

import io.piecework.api.storage.StorageException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the size and time of each file of a torrent, as resume records keep them. */
final class FileStamps {
    /** Asked every 256 files: throws to give up (the storage was closed while opening). */
    @FunctionalInterface
    interface Stop {
        void check(int file) throws StorageException;
    }

    static final Stop NEVER = file -> { };

    private FileStamps() {
    }

    /**
     * One stamp per file ({@link SavedState.Stamp#MISSING} for anything but a regular file; links
     * are not followed). A missing folder is looked up once, not once per file in it: a torrent
     * may name hundreds of thousands of files, and a failed lookup costs an exception each.
     */
    static List<SavedState.Stamp> read(FileLayout layout, Stop stop) throws StorageException {
        List<SavedState.Stamp> stamps = new ArrayList<>(layout.fileCount());
        Map<Path, Boolean> folderExists = new HashMap<>();
        for (int f = 0; f < layout.fileCount(); f++) {
            if ((f & 0xff) == 0) {
                stop.check(f);
            }
            Path path = layout.path(f);
            if (path == null) {
                stamps.add(new SavedState.Stamp(0, 0));
                continue;
            }
            if (!folderExists.computeIfAbsent(path.getParent(), FileStamps::isFolder)) {
                stamps.add(SavedState.Stamp.MISSING);
                continue;
            }
            BasicFileAttributes a = SafePaths.lstat(path);
            stamps.add(a != null && a.isRegularFile() ? new SavedState.Stamp(a.size(), a.lastModifiedTime().toMillis())
                    : SavedState.Stamp.MISSING);
        }
        return stamps;
    }

    private static boolean isFolder(Path path) {
        BasicFileAttributes a = SafePaths.lstat(path);
        return a != null && a.isDirectory();
    }

    /**
     * Replaces the stamps of files changed within the last {@code racyMillis} by one nothing
     * matches; true if one of them will settle (a file dated in the future never does).
     */
    static boolean hideRacy(List<SavedState.Stamp> stamps, long racyMillis) {
        long now = System.currentTimeMillis();
        boolean settles = false;
        for (int f = 0; f < stamps.size(); f++) {
            SavedState.Stamp stamp = stamps.get(f);
            if (stamp.size() >= 0 && stamp.modified() > now - racyMillis) {
                stamps.set(f, SavedState.Stamp.UNCHECKED);
                settles |= stamp.modified() <= now;
            }
        }
        return settles;
    }
}
