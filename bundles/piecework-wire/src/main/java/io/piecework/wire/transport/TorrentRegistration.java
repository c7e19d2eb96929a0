package io.piecework.wire.transport;

import org.osgi.annotation.versioning.ProviderType;

/** Closing it stops routing new connections to the torrent; open connections stay open. */
@ProviderType
public interface TorrentRegistration extends AutoCloseable {
    @Override
    void close();
}
