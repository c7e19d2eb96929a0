package io.piecework.core.internal;

import io.piecework.api.engine.PeerInfo;
import io.piecework.api.engine.TrackerInfo;
import io.piecework.wire.ExtendedHandshake;
import io.piecework.wire.Handshake;
import java.util.ArrayList;
import java.util.List;

/**
 * A torrent's details page views: its peers, its trackers' last results and its verified
 * pieces. The peers are copied under the torrent's lock field by field, O(peers): a peer's
 * piece count is its bitmap's cardinality (a sum over its containers, no walk over pieces)
 * and no piece set is copied. Our pieces come from the lock-free have-bits.
 */
final class TorrentDetails {
    /** Longest client name kept: the peer chooses it. */
    static final int MAX_CLIENT_CHARS = 64;

    private TorrentDetails() {
    }

    static List<PeerInfo> peers(Torrent t) {
        List<PeerInfo> out;
        t.lock.lock();
        try {
            out = new ArrayList<>(t.swarm.peers.size());
            int pieces = t.pieceCount();
            for (PeerSession p : t.swarm.peers) {
                out.add(new PeerInfo(p.connection.remoteAddress(), client(p), p.downloadRate(), p.uploadRate(),
                        p.amChoking, p.amInterested, p.peerChoking, p.peerInterested, p.incoming,
                        p.connection.encrypted(), p.seed, p.piecesHeld(), pieces, p.connection.utp()));
            }
        } finally {
            t.lock.unlock();
        }
        return List.copyOf(out);
    }

    /** The extended handshake's {@code v}, else the peer id's client prefix, cut to a bounded length. */
    static String client(PeerSession p) {
        ExtendedHandshake h = p.connection.remoteExtendedHandshake();
        String v = h == null ? null : h.v();
        if (v == null || v.isBlank()) {
            Handshake hs = p.connection.remoteHandshake();
            v = hs == null ? "" : hs.peerId().clientPrefix();
        }
        return v.length() > MAX_CLIENT_CHARS ? v.substring(0, MAX_CLIENT_CHARS) + "..." : v;
    }

    /** Every tracker of the metainfo, with the last result its announcement recorded. */
    static List<TrackerInfo> trackers(Torrent t) {
        Discovery.Binding binding = t.discovery();
        List<TrackerInfo> recorded = binding == null ? List.of() : binding.trackers();
        if (!recorded.isEmpty()) {
            return recorded;
        }
        List<List<String>> tiers = t.metainfo.trackerTiers();
        List<TrackerInfo> out = new ArrayList<>();
        for (int tier = 0; tier < tiers.size(); tier++) {
            for (String url : tiers.get(tier)) {
                out.add(TrackerInfo.unannounced(url, tier));
            }
        }
        return out;
    }

    /** Our verified pieces as a BitTorrent bitfield, from the lock-free have-bits. */
    static byte[] pieces(Torrent t) {
        int count = t.pieceCount();
        byte[] bits = new byte[(count + 7) >>> 3];
        for (int piece = 0; piece < count; piece++) {
            if (t.hasVerified(piece)) {
                bits[piece >>> 3] |= (byte) (0x80 >>> (piece & 7));
            }
        }
        return bits;
    }
}
