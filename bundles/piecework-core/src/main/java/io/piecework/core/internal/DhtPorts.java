package io.piecework.core.internal;

import io.piecework.api.discovery.DhtNode;
import io.piecework.transport.PeerConnection;
import java.net.InetSocketAddress;

/**
 * BEP 5's {@code port} message both ways: peers whose handshake announces DHT support learn
 * our DHT port, and the DHT ports peers announce go to our node to be pinged (and kept in its
 * routing table if they answer). Without a DHT node bound, both do nothing.
 */
final class DhtPorts {
    private volatile DhtNode node;

    void use(DhtNode dht) {
        node = dht;
    }

    /** Tells a new peer our DHT port; call after the bitfield, which must come first. */
    void advertise(PeerConnection connection) {
        int port = portFor(connection);
        if (port > 0) {
            connection.port(port);
        }
    }

    /** As {@link #advertise(PeerConnection)}, queued behind the bitfield in the torrent's outbox. */
    void advertise(PeerConnection connection, Outbox outbox) {
        int port = portFor(connection);
        if (port > 0) {
            outbox.port(connection, port);
        }
    }

    /** The port of our DHT in the peer's address family (BEP 32: IPv6's may differ), or 0. */
    private int portFor(PeerConnection connection) {
        DhtNode dht = node;
        InetSocketAddress remote = connection.remoteAddress();
        if (dht == null || remote == null || !connection.remoteHandshake().supportsDht()) {
            return 0;
        }
        return Math.max(0, dht.portFor(remote.getAddress()));
    }

    /** A peer announced its DHT port: our node pings it there. */
    void learned(PeerConnection connection, int port) {
        DhtNode dht = node;
        if (dht != null && port > 0 && port < 65536) {
            dht.ping(new InetSocketAddress(connection.remoteAddress().getAddress(), port));
        }
    }
}
