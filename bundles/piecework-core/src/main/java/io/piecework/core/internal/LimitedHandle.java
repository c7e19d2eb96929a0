package io.piecework.core.internal;

import io.piecework.api.engine.RateLimits;
import io.piecework.api.engine.TorrentHandle;

/**
 * The rate-limit part of a torrent's handle, shared by {@link Torrent} and {@link MagnetTorrent}:
 * the engine keeps the limits per info-hash ({@link TorrentRates}), so a magnet link's carry
 * over to its torrent.
 */
interface LimitedHandle extends TorrentHandle {
    /** The engine's per-torrent limits. */
    TorrentRates rates();

    @Override
    default void rateLimits(RateLimits limits) {
        rates().set(this, limits);
    }

    @Override
    default RateLimits rateLimits() {
        return rates().get(infoHash());
    }
}
