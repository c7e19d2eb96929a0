package io.piecework.tracker;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;

/**
 * What a tracker answered to an announce.
 *
 * @param interval    seconds until the next regular announce; -1 when the tracker did not say
 * @param minInterval seconds we must wait at least between announces; -1 when not given
 * @param seeders     the tracker's {@code complete} count, -1 when not given
 * @param leechers    the tracker's {@code incomplete} count, -1 when not given
 * @param peers       distinct IPv4 and IPv6 peers with non-zero ports, at most {@link TrackerLimits#maxPeers()}
 * @param warning     the tracker's {@code warning message}, or null
 * @param trackerId   the tracker's {@code tracker id} to send back next time, or null
 */
public record AnnounceResponse(int interval, int minInterval, int seeders, int leechers,
                               List<InetSocketAddress> peers, String warning, byte[] trackerId) {
    public AnnounceResponse {
        peers = List.copyOf(peers);
        trackerId = trackerId == null ? null : trackerId.clone();
    }

    @Override
    public byte[] trackerId() {
        return trackerId == null ? null : trackerId.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnnounceResponse r && interval == r.interval && minInterval == r.minInterval
                && seeders == r.seeders && leechers == r.leechers && peers.equals(r.peers)
                && java.util.Objects.equals(warning, r.warning) && Arrays.equals(trackerId, r.trackerId);
    }

    @Override
    public int hashCode() {
        return peers.hashCode() * 31 + interval;
    }
}
