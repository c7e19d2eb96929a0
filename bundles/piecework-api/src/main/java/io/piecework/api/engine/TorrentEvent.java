package io.piecework.api.engine;

import io.piecework.api.metainfo.InfoHash;

/**
 * Something happened to a torrent.
 *
 * @param piece   the piece, for {@link Kind#PIECE_VERIFIED}; -1 otherwise
 * @param state   the state after the event
 * @param message the error, for {@link Kind#ERROR}; empty otherwise
 */
public record TorrentEvent(Kind kind, InfoHash infoHash, TorrentState state, int piece, String message) {
    public enum Kind {
        STATE_CHANGED, PIECE_VERIFIED, COMPLETED, ERROR,
        /** The torrent joined the engine (before it starts); a handle that was already there emits nothing. */
        ADDED,
        /** The torrent left the engine ({@link TorrentHandle#remove}); nothing more is heard of it. */
        REMOVED,
        /** A setting its handle keeps changed ({@link TorrentHandle#rateLimits(RateLimits)}), for a session to save. */
        SETTINGS_CHANGED
    }
}
