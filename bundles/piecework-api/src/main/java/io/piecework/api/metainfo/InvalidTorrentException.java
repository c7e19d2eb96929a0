package io.piecework.api.metainfo;

/**
 * A torrent or magnet link that cannot be used. The message is one line for the user: what
 * is wrong, where ({@link #where()}: a byte offset or a field path) and why.
 */
public class InvalidTorrentException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String where;

    public InvalidTorrentException(String where, String message) {
        super(where + ": " + message);
        this.where = where;
    }

    public InvalidTorrentException(String where, String message, Throwable cause) {
        super(where + ": " + message, cause);
        this.where = where;
    }

    /** A byte offset ("byte 812") or field path ("info.files[3].path") that locates the fault. */
    public String where() {
        return where;
    }
}
