package io.piecework.core.internal;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Which peer makes room when a torrent is full (or an address has its share) and another
 * connects: libtorrent and Transmission both churn peers rather than let the first comers keep
 * every slot. Least useful goes first:
 * <ol>
 *   <li>a peer neither interested in us nor interesting to us, connected for over
 *       {@link #GRACE_NANOS} (time to send its bitfield and interest), or for over
 *       {@link #SILENT_GRACE_NANOS} without a single message but keep-alives;</li>
 *   <li>a peer that snubs us (unchokes and then sends nothing, or rejects our requests);</li>
 *   <li>any peer that has sent nothing but keep-alives for {@link #QUIET_NANOS}.</li>
 * </ol>
 * Within a class, the one quiet the longest. A peer that is busy with us is never evicted: when
 * no peer qualifies, the newcomer is refused. Called under the torrent's lock; O(peers).
 */
final class PeerSlots {
    static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** A real client sends its bitfield, have-none or extended handshake right after the handshake. */
    static final long SILENT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(60);

    private PeerSlots() {
    }

    /** @param from only peers at this address, or null for any */
    static PeerSession leastUseful(List<PeerSession> peers, InetAddress from, long now) {
        PeerSession worst = null;
        int worstRank = 0;
        long worstQuiet = 0;
        for (PeerSession p : peers) {
            if (from != null && !from.equals(p.connection.remoteAddress().getAddress())) {
                continue;
            }
            int rank = rank(p, now);
            long quiet = now - p.lastUsefulAt;
            if (rank > worstRank || (rank == worstRank && rank > 0 && quiet > worstQuiet)) {
                worst = p;
                worstRank = rank;
                worstQuiet = quiet;
            }
        }
        return worst;
    }

    private static int rank(PeerSession p, long now) {
        if (p.closed) {
            return 0;
        }
        boolean silent = p.lastUsefulAt == p.connectedAt;
        if (useless(p, now, silent ? SILENT_GRACE_NANOS : GRACE_NANOS)) {
            return 3;
        }
        if (p.snubbed()) {
            return 2;
        }
        return now - p.lastUsefulAt > QUIET_NANOS ? 1 : 0;
    }

    /** Neither side wants anything of the other and the peer has been connected for {@code after}. */
    static boolean useless(PeerSession p, long now, long after) {
        return !p.peerInterested && !p.amInterested && now - p.connectedAt > after;
    }

    /** How many of {@code peers} are at {@code ip}. */
    static int at(List<PeerSession> peers, InetAddress ip) {
        int n = 0;
        for (PeerSession p : peers) {
            if (ip.equals(p.connection.remoteAddress().getAddress())) {
                n++;
            }
        }
        return n;
    }
}
