package io.piecework.api.engine;

import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Makes extra engines, independent of the {@link TorrentEngine} service (own listen port,
 * own torrents) but using the same storage and request strategy: a second peer in the same
 * framework for the demo and for tests.
 */
@ProviderType
public interface TorrentEngineFactory {
    /**
     * @param listenAddress address to accept peers on, e.g. 127.0.0.1
     * @param listenPort    0 picks a free port
     */
    OwnedEngine create(String listenAddress, int listenPort) throws IOException;

    /** An engine its creator must close; closing stops its torrents and saves their state. */
    interface OwnedEngine extends TorrentEngine, AutoCloseable {
        @Override
        void close();
    }
}
