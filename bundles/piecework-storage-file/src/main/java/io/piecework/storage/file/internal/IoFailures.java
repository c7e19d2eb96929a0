package io.piecework.storage.file.internal;

import io.piecework.api.storage.StorageException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** File system failures as the storage reports them. */
final class IoFailures {
    private IoFailures() {
    }

    /** Turns an I/O failure into a message a user can act on. */
    static StorageException classify(IOException e, Path path, String doing) {
        if (e instanceof StorageException s) {
            return s;
        }
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (path != null && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            return new StorageException(StorageException.Kind.NOT_A_FILE,
                    path + " is a directory where the torrent needs a file", e);
        }
        if (e instanceof NoSuchFileException) {
            return BaseStorage.io(path + " is missing (" + doing + ")", e);
        }
        if (e instanceof AccessDeniedException || reason.contains("Permission denied")
                || reason.contains("Read-only file system")) {
            String detail = path != null && reason.equals(path.toString()) ? "" : ": " + reason;
            return new StorageException(StorageException.Kind.PERMISSION_DENIED,
                    "permission denied " + doing + " " + path + detail, e);
        }
        if (reason.contains("No space left on device") || reason.contains("Disk quota exceeded")) {
            return new StorageException(StorageException.Kind.DISK_FULL, "disk full " + doing + " " + path, e);
        }
        return BaseStorage.io(doing + " " + path + " failed: " + reason, e);
    }
}
