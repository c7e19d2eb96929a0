package io.piecework.api.engine;

/**
 * One tracker URL of a torrent and its last announce (API 1.4).
 *
 * @param url              the announce URL (from the metainfo or magnet link: untrusted text)
 * @param tier             its tier (BEP 12), from 0
 * @param lastAnnounceMillis when the last announce to it finished (epoch millis), 0 if never
 * @param succeeded        whether that announce was answered with peers (not a failure)
 * @param result           its outcome in words ("Success" as Transmission says it, a warning, or the failure reason: untrusted text)
 * @param peers            peers it returned, -1 if never announced
 * @param seeders          seeders it reported, -1 if unknown
 * @param leechers         leechers it reported, -1 if unknown
 */
public record TrackerInfo(String url, int tier, long lastAnnounceMillis, boolean succeeded, String result,
                          int peers, int seeders, int leechers) {
    /** A tracker not announced to yet. */
    public static TrackerInfo unannounced(String url, int tier) {
        return new TrackerInfo(url, tier, 0, false, "", -1, -1, -1);
    }
}
