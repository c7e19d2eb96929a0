package io.piecework.transport;

import org.osgi.annotation.versioning.ProviderType;

/** Closing it stops routing new connections to the torrent; open connections stay open. */
@ProviderType
public interface TorrentRegistration extends AutoCloseable {
    /**
     * Caps the rates of this torrent's connections together (bytes per second, 0: unlimited),
     * within the transport's own limits; closing the registration lifts it. A transport that
     * cannot shape ignores it.
     *
     * @throws IllegalArgumentException for a negative rate
     */
    default void limitRates(long downloadBytesPerSecond, long uploadBytesPerSecond) {
    }

    /**
     * As {@link PeerTransport#limitRates(RateBudget, RateBudget)} for this torrent: one torrent's
     * budgets handed to its registration with every transport. The default takes their current
     * rates (1.6).
     */
    default void limitRates(RateBudget download, RateBudget upload) {
        limitRates(download.rate(), upload.rate());
    }

    @Override
    void close();
}
