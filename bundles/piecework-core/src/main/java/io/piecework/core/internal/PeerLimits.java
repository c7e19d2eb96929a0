package io.piecework.core.internal;

import java.net.InetAddress;

/**
 * Bounds on what peers can make a torrent hold or do, so that one hostile connection or
 * address cannot crowd out the rest (issue 10). Part of {@link EngineSettings}.
 *
 * @param knownPeers        addresses a torrent remembers to dial (from trackers, the DHT, PEX, the
 *                          user); once full, PEX peers make room for peers from other sources and
 *                          further PEX peers are dropped
 * @param dialsInFlight     outgoing connection attempts under way across the engine (half-open
 *                          dials). Each also holds a connection slot of its torrent and of the
 *                          engine until it connects or fails
 * @param peersPerIp        connections per torrent from one IP address
 * @param peersPerLoopback  the same for loopback addresses, where every engine and test client on
 *                          the machine shares 127.0.0.1; 0 leaves only the torrent's own limit
 * @param idlePeerSeconds   a peer that is neither interested in us nor interesting to us and has
 *                          sent nothing but keep-alives for this long is disconnected
 */
record PeerLimits(int knownPeers, int dialsInFlight, int peersPerIp, int peersPerLoopback, int idlePeerSeconds) {
    static final PeerLimits DEFAULTS = new PeerLimits(2_000, 10, 2, 0, 120);

    /** How many connections one torrent takes from {@code ip}. */
    int perAddress(InetAddress ip, int perTorrent) {
        if (ip.isLoopbackAddress()) {
            return peersPerLoopback <= 0 ? perTorrent : peersPerLoopback;
        }
        return peersPerIp <= 0 ? perTorrent : peersPerIp;
    }
}
