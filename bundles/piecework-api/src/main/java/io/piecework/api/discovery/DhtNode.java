package io.piecework.api.discovery;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The DHT node, as the engine needs it for BEP 5's {@code port} message: the engine advertises
 * {@link #port()} to peers that support the DHT and hands over the DHT ports peers advertise.
 */
@ProviderType
public interface DhtNode {
    /** The UDP port the node listens on; 0 while it has none. */
    int port();

    /**
     * The UDP port of our node in {@code peer}'s address family, for the {@code port} message on
     * a connection to it (BEP 32: the IPv6 DHT may be on another port than the IPv4 one); 0 when
     * we have no node of that family. Since 1.3; by default {@link #port()}.
     */
    default int portFor(InetAddress peer) {
        return port();
    }

    /** Pings a node learned from a peer's {@code port} message; it joins the routing table if it answers. */
    void ping(InetSocketAddress node);
}
