package io.piecework.tracker;

import io.piecework.api.metainfo.InfoHash;
import java.util.Arrays;

/**
 * What we tell a tracker.
 *
 * @param numWant   peers wanted; -1 lets the tracker choose
 * @param key       stays the same for a torrent's session (BEP 7), so a tracker can tell us apart
 * @param trackerId the {@code tracker id} the tracker sent last time, or null
 */
public record AnnounceRequest(InfoHash infoHash, byte[] peerId, int port, long uploaded, long downloaded,
                              long left, TrackerEvent event, int numWant, int key, byte[] trackerId) {
    public AnnounceRequest {
        if (peerId.length != 20) {
            throw new IllegalArgumentException("a peer id has 20 bytes, got " + peerId.length);
        }
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        peerId = peerId.clone();
        trackerId = trackerId == null ? null : trackerId.clone();
    }

    @Override
    public byte[] peerId() {
        return peerId.clone();
    }

    @Override
    public byte[] trackerId() {
        return trackerId == null ? null : trackerId.clone();
    }

    public AnnounceRequest withEvent(TrackerEvent e) {
        return new AnnounceRequest(infoHash, peerId, port, uploaded, downloaded, left, e, numWant, key, trackerId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnnounceRequest r && infoHash.equals(r.infoHash) && Arrays.equals(peerId, r.peerId)
                && port == r.port && uploaded == r.uploaded && downloaded == r.downloaded && left == r.left
                && event == r.event && numWant == r.numWant && key == r.key && Arrays.equals(trackerId, r.trackerId);
    }

    @Override
    public int hashCode() {
        return infoHash.hashCode() * 31 + Arrays.hashCode(peerId);
    }

    @Override
    public String toString() {
        return "AnnounceRequest[" + infoHash + " port=" + port + " left=" + left + " event=" + event + "]";
    }
}
