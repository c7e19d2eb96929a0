package io.piecework.api.strategy;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A strategy's state for one torrent: caches derived from the {@link TorrentView}, never
 * durable state. The engine tells it what changed (with the torrent's lock held, right after
 * the change) and when a peer wants more requests (without the lock).
 */
@ConsumerType
public interface Picker extends AutoCloseable {
    /** {@code peer} announced {@code piece} (have). */
    default void peerHas(PeerView peer, int piece) {
    }

    /** {@code peer}'s whole piece set was replaced (bitfield, have-all, have-none). */
    default void peerPiecesReset(PeerView peer) {
    }

    /** {@code peer} disconnected; it is no longer in {@link TorrentView#peers()}. */
    default void peerGone(PeerView peer) {
    }

    /** {@code piece} passed verification. */
    default void pieceVerified(int piece) {
    }

    /** {@code piece} failed verification and is wanted again; its blocks are free. */
    default void pieceFailed(int piece) {
    }

    /** Some piece priorities changed. */
    default void prioritiesChanged() {
    }

    /**
     * {@code peer} may take more requests. Called without the torrent's lock; the picker takes
     * it (now, or later for several peers at once) and calls {@link TorrentView#request}.
     *
     * @param reasons bits from {@link UpdateReason}, for strategies that coalesce triggers
     */
    void requestUpdate(PeerView peer, int reasons);

    /** The engine stops using this picker (strategy swapped, torrent stopped). */
    @Override
    void close();
}
