package io.piecework.tracker.internal;

import io.piecework.api.engine.TrackerInfo;
import io.piecework.api.text.Untrusted;
import io.piecework.tracker.AnnounceResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each tracker's last announce for one torrent, for the details page ({@code trackerStats}):
 * kept apart from the announcing so that reading it never waits for a round. One entry per
 * URL the torrent has, so its size is bounded by the metainfo's tracker list.
 */
final class TrackerResults {
    /** Longest failure or warning text kept: a tracker chooses it. */
    private static final int MAX_TEXT = 300;
    // Guarded by this.
    private final Map<URI, TrackerInfo> last = new HashMap<>();

    synchronized void answered(URI u, AnnounceResponse r) {
        String result = r.warning() == null ? "Success" : "warning: " + Untrusted.text(r.warning(), MAX_TEXT);
        last.put(u, new TrackerInfo(u.toString(), 0, System.currentTimeMillis(), true, result,
                r.peers().size(), Math.max(-1, r.seeders()), Math.max(-1, r.leechers())));
    }

    /** @param why the failure in words, already escaped */
    synchronized void failed(URI u, String why) {
        String text = why.length() > MAX_TEXT ? why.substring(0, MAX_TEXT) + "..." : why;
        last.put(u, new TrackerInfo(u.toString(), 0, System.currentTimeMillis(), false, text, 0, -1, -1));
    }

    /** Every URL of {@code tiers} in order, with its last result if it had one. */
    synchronized List<TrackerInfo> list(List<List<String>> tiers) {
        List<TrackerInfo> out = new ArrayList<>();
        for (int tier = 0; tier < tiers.size(); tier++) {
            for (String s : tiers.get(tier)) {
                TrackerInfo seen = last.get(parse(s));
                out.add(seen == null ? TrackerInfo.unannounced(s, tier) : new TrackerInfo(s, tier,
                        seen.lastAnnounceMillis(), seen.succeeded(), seen.result(), seen.peers(), seen.seeders(),
                        seen.leechers()));
            }
        }
        return out;
    }

    private static URI parse(String s) {
        try {
            return new URI(s.trim());
        } catch (Exception e) {
            return null; // never announced to: not a URL
        }
    }
}
