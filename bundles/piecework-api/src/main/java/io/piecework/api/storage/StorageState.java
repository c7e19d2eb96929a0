package io.piecework.api.storage;

/** Where a torrent's storage is in its life. */
public enum StorageState {
    /** Stored completion is being checked against the data. */
    CHECKING,
    /** Reads, writes and verification work. */
    READY,
    /** Data is being moved to another folder; writes are refused until it is done. */
    MOVING,
    /** A disk error stopped the torrent; see {@link TorrentStorage#error()} and {@link TorrentStorage#retry()}. */
    ERROR,
    /** Closed or removed: nothing works any more. */
    CLOSED
}
