package io.piecework.rpc.transmission.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.piecework.api.engine.PeerInfo;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TrackerInfo;
import java.net.URI;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The {@code torrent-get} fields of a torrent's details page, shaped as Transmission 3 and 4 send
 * them: {@code peers}, {@code trackerStats} and {@code pieces} (the count and size are
 * {@link TorrentFields}'). Kept apart from {@link TorrentFields}, which they are registered in.
 * Client names and tracker messages are passed on as the engine has them: the peer and the
 * tracker chose them, so whoever shows them must escape them (the web UI does).
 */
final class PeerFields {
    static final Set<String> SUPPORTED = Set.of("peers", "trackerStats", "pieces");
    /** Transmission's tr_tracker_state: inactive, waiting, queued, active. */
    private static final int TRACKER_WAITING = 1;

    private PeerFields() {
    }

    /** Adds {@code field} to {@code o} if it is one of {@link #SUPPORTED}. */
    static void describe(TorrentHandle handle, String field, JsonObject o) {
        switch (field) {
            case "peers" -> o.add(field, peers(handle.peers()));
            case "trackerStats" -> o.add(field, trackerStats(handle.trackers()));
            case "pieces" -> o.addProperty(field, Base64.getEncoder().encodeToString(handle.verifiedPieces()));
            default -> {
                // not ours: left out
            }
        }
    }

    static JsonArray peers(List<PeerInfo> peers) {
        JsonArray a = new JsonArray();
        for (PeerInfo p : peers) {
            JsonObject o = new JsonObject();
            o.addProperty("address", p.address().getAddress() == null ? p.address().getHostString()
                    : p.address().getAddress().getHostAddress());
            o.addProperty("port", p.address().getPort());
            o.addProperty("clientName", p.client());
            // Transmission's "client" is us: clientIsChoked means the peer chokes us.
            o.addProperty("clientIsChoked", p.peerChoking());
            o.addProperty("clientIsInterested", p.amInterested());
            o.addProperty("peerIsChoked", p.amChoking());
            o.addProperty("peerIsInterested", p.peerInterested());
            o.addProperty("isDownloadingFrom", p.amInterested() && !p.peerChoking());
            o.addProperty("isUploadingTo", p.peerInterested() && !p.amChoking());
            o.addProperty("isEncrypted", p.encrypted());
            o.addProperty("isIncoming", p.incoming());
            o.addProperty("isUTP", p.utp());
            o.addProperty("progress", p.progress());
            o.addProperty("rateToClient", p.downloadRate());
            o.addProperty("rateToPeer", p.uploadRate());
            o.addProperty("flagStr", flags(p));
            a.add(o);
        }
        return a;
    }

    /** Transmission's flag letters, in its order (see its web client's legend). */
    static String flags(PeerInfo p) {
        StringBuilder s = new StringBuilder();
        if (p.utp()) {
            s.append('T'); // first in Transmission 3.00's peer-mgr.c too
        }
        if (p.amInterested() && !p.peerChoking()) {
            s.append('D');
        } else if (p.amInterested()) {
            s.append('d');
        } else if (!p.peerChoking()) {
            s.append('K');
        }
        if (p.peerInterested() && !p.amChoking()) {
            s.append('U');
        } else if (p.peerInterested()) {
            s.append('u');
        } else if (!p.amChoking()) {
            s.append('?');
        }
        if (p.encrypted()) {
            s.append('E');
        }
        if (p.incoming()) {
            s.append('I');
        }
        return s.toString();
    }

    static JsonArray trackerStats(List<TrackerInfo> trackers) {
        JsonArray a = new JsonArray();
        for (TrackerInfo t : trackers) {
            boolean announced = t.lastAnnounceMillis() > 0;
            JsonObject o = new JsonObject();
            o.addProperty("id", a.size());
            o.addProperty("tier", t.tier());
            o.addProperty("announce", t.url());
            o.addProperty("scrape", "");
            o.addProperty("host", host(t.url()));
            o.addProperty("isBackup", false);
            o.addProperty("announceState", TRACKER_WAITING);
            o.addProperty("hasAnnounced", announced);
            o.addProperty("lastAnnounceTime", t.lastAnnounceMillis() / 1000);
            o.addProperty("lastAnnounceStartTime", t.lastAnnounceMillis() / 1000);
            o.addProperty("lastAnnounceSucceeded", t.succeeded());
            o.addProperty("lastAnnounceTimedOut", false);
            o.addProperty("lastAnnounceResult", t.result());
            o.addProperty("lastAnnouncePeerCount", Math.max(0, t.peers()));
            o.addProperty("nextAnnounceTime", 0);
            // Piecework does not scrape: the counts come from the announce's answer.
            o.addProperty("hasScraped", false);
            o.addProperty("scrapeState", 0);
            o.addProperty("lastScrapeTime", 0);
            o.addProperty("lastScrapeStartTime", 0);
            o.addProperty("lastScrapeSucceeded", false);
            o.addProperty("lastScrapeTimedOut", false);
            o.addProperty("lastScrapeResult", "");
            o.addProperty("nextScrapeTime", 0);
            o.addProperty("seederCount", t.seeders());
            o.addProperty("leecherCount", t.leechers());
            o.addProperty("downloadCount", -1);
            a.add(o);
        }
        return a;
    }

    /** As Transmission names a tracker: scheme://host:port, the URL itself if it does not parse. */
    static String host(String url) {
        try {
            URI u = new URI(url.trim());
            if (u.getHost() == null) {
                return url;
            }
            int port = u.getPort() >= 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
            return u.getScheme() + "://" + u.getHost() + ":" + port;
        } catch (Exception e) {
            return url;
        }
    }
}
