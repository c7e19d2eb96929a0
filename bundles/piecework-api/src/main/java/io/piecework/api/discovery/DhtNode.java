package io.piecework.api.discovery;

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

    /** Pings a node learned from a peer's {@code port} message; it joins the routing table if it answers. */
    void ping(InetSocketAddress node);
}
