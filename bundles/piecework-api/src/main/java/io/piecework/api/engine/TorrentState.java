package io.piecework.api.engine;

/** Where a torrent is in its life. */
public enum TorrentState {
    /** Its stored data is being checked. */
    CHECKING,
    DOWNLOADING,
    /** Every wanted piece is verified; uploading to peers that want pieces. */
    SEEDING,
    /** Peers stay connected but nothing is requested or uploaded. */
    PAUSED,
    STOPPED,
    /** A disk or configuration error stopped it; {@link TorrentStats#error()} says why. */
    ERROR
}
