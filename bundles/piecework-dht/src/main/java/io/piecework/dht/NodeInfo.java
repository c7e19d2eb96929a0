package io.piecework.dht;

import java.net.Inet4Address;
import java.net.InetSocketAddress;

/** A node's id and IPv4 address, as in BEP 5's 26-byte compact node info. */
public record NodeInfo(NodeId id, InetSocketAddress address) {
    public static final int COMPACT_LENGTH = 26;

    public NodeInfo {
        if (!(address.getAddress() instanceof Inet4Address)) {
            throw new IllegalArgumentException("compact node info is IPv4: " + address);
        }
    }
}
