package io.piecework.transport;

import org.osgi.annotation.versioning.ConsumerType;

/** What a torrent tells the transport about itself and how it takes in new peers. */
@ConsumerType
public interface TorrentPeers {
    /** Pieces in the torrent, or -1 while unknown (a magnet link before its metadata). */
    int pieceCount();

    /** Our handshake for this torrent sets the BEP 52 v2 bit (the engine: v2-only and hybrid torrents). */
    default boolean v2() {
        return false;
    }

    /**
     * A peer completed the handshake (incoming or outgoing). Return the handler for its
     * messages, or null to refuse it. Runs on the connection's event loop: do not block.
     */
    PeerHandler connected(PeerConnection connection);
}
