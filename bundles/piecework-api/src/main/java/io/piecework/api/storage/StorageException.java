package io.piecework.api.storage;

import java.io.IOException;

/** A storage operation failed; {@link #kind()} says why in a way the engine can act on. */
public class StorageException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** No space left on the device. */
        DISK_FULL,
        /** The operating system refused access to a file or folder. */
        PERMISSION_DENIED,
        /** A directory (or other non-file) stands where a torrent file belongs. */
        NOT_A_FILE,
        /** A path of the torrent would leave the torrent's folder. */
        UNSAFE_PATH,
        /** The storage is in {@link StorageState#ERROR}, moving or closed and refuses the call. */
        UNAVAILABLE,
        /** Any other I/O failure. */
        IO
    }

    private final Kind kind;

    public StorageException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public StorageException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
