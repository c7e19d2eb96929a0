package io.piecework.dht;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * A node's id and address: IPv4 as in BEP 5's 26-byte compact node info ({@code nodes}), IPv6
 * as in BEP 32's 38-byte one ({@code nodes6}).
 */
public record NodeInfo(NodeId id, InetSocketAddress address) {
    public static final int COMPACT_LENGTH = 26;
    /** BEP 32: 20-byte id, 16-byte address, 2-byte port. */
    public static final int COMPACT6_LENGTH = 38;

    public NodeInfo {
        if (!(address.getAddress() instanceof Inet4Address) && !(address.getAddress() instanceof Inet6Address)) {
            throw new IllegalArgumentException("compact node info needs an IP address: " + address);
        }
    }

    /** Whether this node belongs to the IPv6 DHT (BEP 32: the two DHTs are separate). */
    public boolean isIpv6() {
        return address.getAddress() instanceof Inet6Address;
    }
}
