package io.piecework.api.strategy;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A request strategy, registered as a service with the property {@value #NAME_PROPERTY}.
 * It opens one {@link Picker} per torrent.
 */
@ConsumerType
public interface RequestStrategy {
    /** Service property naming the strategy ("naive", "cached", "batched"). */
    String NAME_PROPERTY = "strategy.name";

    /** Opens a picker for a torrent; the picker may build its caches lazily from the view. */
    Picker open(TorrentView torrent);
}
