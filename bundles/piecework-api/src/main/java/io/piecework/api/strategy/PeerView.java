package io.piecework.api.strategy;

import org.osgi.annotation.versioning.ProviderType;

/** The engine's view of one connected peer. Read it only while holding the torrent's lock. */
@ProviderType
public interface PeerView {
    /** Unique per connection for the life of the engine. */
    long id();

    /** Whether the peer has announced {@code piece}. */
    boolean has(int piece);

    /** How many pieces the peer has announced. */
    int piecesHeld();

    /** Whether the peer is choking us (we may not request, except allowed-fast pieces). */
    boolean choking();

    /** Requests sent to the peer and not yet answered. */
    int inFlight();

    /** How many requests the peer's pipeline should hold (rate-sized, bounded by its reqq). */
    int pipelineTarget();
}
