package io.piecework.transport;

import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Opens extra transports, each with its own listening socket: for a second engine in the same
 * framework (the demo, tests). The default transport is the {@link PeerTransport} service.
 */
@ProviderType
public interface PeerTransportFactory {
    /**
     * @param listenAddress address to accept peers on
     * @param listenPort    0 picks a free port
     */
    OwnedPeerTransport open(String listenAddress, int listenPort) throws IOException;

    /** A transport its opener must close. */
    interface OwnedPeerTransport extends PeerTransport, AutoCloseable {
        @Override
        void close();
    }
}
