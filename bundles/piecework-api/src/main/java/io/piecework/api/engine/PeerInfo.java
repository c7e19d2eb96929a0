package io.piecework.api.engine;

import java.net.InetSocketAddress;

/**
 * One connected peer of a torrent at one moment (API 1.4): what a details page shows. A copy of
 * the engine's cheap fields, taken without walking any piece set.
 *
 * @param address        the peer's address as connected (for an incoming peer, its outgoing port)
 * @param client         its client name: the extended handshake's {@code v}, else decoded from its
 *                       peer id; untrusted text from the network, shown escaped
 * @param downloadRate   payload bytes per second we receive from it, recent average
 * @param uploadRate     payload bytes per second we send to it, recent average
 * @param amChoking      we choke it
 * @param amInterested   we want pieces it has
 * @param peerChoking    it chokes us
 * @param peerInterested it wants pieces we have
 * @param incoming       it connected to us (not dialled by us)
 * @param encrypted      the connection is obfuscated (MSE/PE)
 * @param seed           it has every piece
 * @param piecesHeld     pieces it has
 * @param pieceCount     the torrent's pieces
 * @param utp            the connection runs over uTP (BEP 29), not TCP (API 1.5)
 */
public record PeerInfo(InetSocketAddress address, String client, long downloadRate, long uploadRate,
                       boolean amChoking, boolean amInterested, boolean peerChoking, boolean peerInterested,
                       boolean incoming, boolean encrypted, boolean seed, int piecesHeld, int pieceCount,
                       boolean utp) {
    /** A peer over TCP (API 1.4's constructor). */
    public PeerInfo(InetSocketAddress address, String client, long downloadRate, long uploadRate,
                    boolean amChoking, boolean amInterested, boolean peerChoking, boolean peerInterested,
                    boolean incoming, boolean encrypted, boolean seed, int piecesHeld, int pieceCount) {
        this(address, client, downloadRate, uploadRate, amChoking, amInterested, peerChoking, peerInterested,
                incoming, encrypted, seed, piecesHeld, pieceCount, false);
    }

    /** Its share of the torrent's pieces, 0 to 1. */
    public double progress() {
        return seed ? 1.0 : pieceCount <= 0 ? 0.0 : Math.min(1.0, (double) piecesHeld / pieceCount);
    }
}
