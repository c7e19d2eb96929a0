package io.piecework.storage.file.internal;

import io.piecework.api.storage.StorageException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Folders and files below a download folder, reached without following symbolic links. The
 * download folder itself is the user's choice and may be (or lie behind) a link; everything the
 * torrent names below it is checked one component at a time with {@code lstat}, created one
 * folder at a time, and a link anywhere is refused: someone who can write into the download
 * folder could otherwise redirect the torrent's files anywhere the user can write. Files are
 * then opened with {@code NOFOLLOW_LINKS} (see {@link FileHandles}), so a link planted at the
 * file itself after the check fails the open instead of being followed.
 */
final class SafePaths {
    private SafePaths() {
    }

    /**
     * Creates the folders between {@code downloadDir} and {@code file}, refusing any component
     * (the file included) that is a symbolic link, and any that is a file where a folder belongs.
     *
     * @param who names the torrent in error messages
     */
    static void prepare(Path downloadDir, Path file, Object who) throws IOException {
        Files.createDirectories(downloadDir);
        Path relative = downloadDir.relativize(file);
        Path at = downloadDir;
        for (int i = 0; i < relative.getNameCount(); i++) {
            at = at.resolve(relative.getName(i));
            boolean folder = i < relative.getNameCount() - 1;
            BasicFileAttributes a = lstat(at);
            if (a == null && folder) {
                try {
                    Files.createDirectory(at);
                } catch (FileAlreadyExistsException raced) {
                    // Created meanwhile (by another torrent, or planted): checked below.
                }
                a = lstat(at);
            }
            if (a == null) {
                continue; // the file itself, not there yet: created by a no-follow open
            }
            if (a.isSymbolicLink()) {
                throw refused(who, at);
            }
            if (folder && !a.isDirectory()) {
                throw new StorageException(StorageException.Kind.NOT_A_FILE,
                        who + ": " + at + " is a file where the torrent needs a folder");
            }
        }
    }

    /** True if no folder between {@code downloadDir} and {@code file} is a link (the file may be). */
    static boolean noLinkAbove(Path downloadDir, Path file) {
        Path relative = downloadDir.relativize(file);
        Path at = downloadDir;
        for (int i = 0; i < relative.getNameCount() - 1; i++) {
            at = at.resolve(relative.getName(i));
            BasicFileAttributes a = lstat(at);
            if (a == null || !a.isDirectory()) {
                return false;
            }
        }
        return true;
    }

    static StorageException refused(Object who, Path link) {
        return new StorageException(StorageException.Kind.UNSAFE_PATH,
                who + ": refusing to write through symbolic link " + link);
    }

    /** The path's own attributes (a link is reported as a link), or null if it does not exist. */
    static BasicFileAttributes lstat(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
    }
}
