package io.piecework.rpc.transmission.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.piecework.api.engine.SeedLimits;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentQueue;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.metainfo.TorrentMetainfo;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A torrent's {@code torrent-get} fields, from the engine's statistics snapshot and metainfo.
 * Fields not in {@link #SUPPORTED} are left out of the answer, as Transmission leaves out
 * names it does not know: clients ask for long lists (python-transmissionrpc asks for every
 * field of its protocol version) and show what comes back. docs/rpc.md lists both sets.
 */
final class TorrentFields {
    /** Transmission's status codes. */
    static final int STOPPED = 0;
    static final int CHECKING = 2;
    static final int QUEUED_TO_DOWNLOAD = 3;
    static final int DOWNLOADING = 4;
    static final int QUEUED_TO_SEED = 5;
    static final int SEEDING = 6;
    /** Transmission's error code for a local (disk) error. */
    static final int LOCAL_ERROR = 3;

    static final Set<String> SUPPORTED = Set.of("id", "hashString", "name", "status", "error", "errorString",
            "eta", "isFinished", "isStalled", "leftUntilDone", "sizeWhenDone", "totalSize", "percentDone",
            "haveValid", "haveUnchecked", "rateDownload", "rateUpload", "peersConnected", "peersSendingToUs",
            "peersGettingFromUs", "uploadRatio", "uploadedEver", "downloadedEver", "corruptEver", "downloadDir",
            "addedDate", "dateCreated", "comment", "creator", "isPrivate", "pieceCount", "pieceSize", "magnetLink",
            "metadataPercentComplete", "files", "fileStats", "priorities", "wanted", "trackers", "webseeds",
            "queuePosition", "activityDate", "doneDate", "startDate", "recheckProgress", "seedRatioLimit", "seedRatioMode",
            "seedIdleLimit", "seedIdleMode", "downloadLimit", "downloadLimited", "uploadLimit", "uploadLimited",
            "honorsSessionLimits");

    private final MetainfoService metainfoService;
    /** The session's queue, or null without a session. */
    private final Supplier<TorrentQueue> queue;
    private final KeptFields kept;

    TorrentFields(MetainfoService metainfoService) {
        this(metainfoService, () -> null);
    }

    TorrentFields(MetainfoService metainfoService, Supplier<TorrentQueue> queue) {
        this.metainfoService = metainfoService;
        this.queue = queue;
        this.kept = new KeptFields(queue);
    }

    JsonObject describe(TorrentHandle handle, TorrentBook.Entry entry, List<String> fields, long now) {
        TorrentStats s = handle.stats();
        TorrentMetainfo meta = handle.metainfo();
        TorrentQueue q = queue.get();
        SeedLimits seed = q == null ? SeedLimits.GLOBAL : q.seedLimits(entry.infoHash);
        long[] earlier = q == null ? new long[] {0, 0} : q.earlierTotals(entry.infoHash);
        long up = earlier[0] + s.uploaded();
        long down = earlier[1] + s.downloaded();
        JsonObject o = new JsonObject();
        entry.follow(handle, fields);
        for (String field : fields) {
            switch (field) {
                case "id" -> o.addProperty(field, entry.id);
                case "queuePosition" -> o.addProperty(field, q == null ? entry.id - 1 : Math.max(0, q.position(entry.infoHash)));
                case "hashString" -> o.addProperty(field, entry.infoHash.hex());
                case "name" -> o.addProperty(field, s.name());
                case "status" -> o.addProperty(field, entry.verifyStatus != Verifications.NONE ? entry.verifyStatus
                        : q != null && q.queued(entry.infoHash)
                        ? (s.state() == TorrentState.SEEDING || s.wantedBytes() > 0 && s.verifiedBytes() >= s.wantedBytes()
                            ? QUEUED_TO_SEED : QUEUED_TO_DOWNLOAD)
                        : status(s.state()));
                case "error" -> o.addProperty(field, s.state() == TorrentState.ERROR ? LOCAL_ERROR : 0);
                case "errorString" -> o.addProperty(field, s.error().orElse(""));
                case "eta" -> o.addProperty(field, s.etaSeconds());
                case "isFinished" -> o.addProperty(field, q != null && q.finished(entry.infoHash));
                case "seedRatioLimit" -> o.addProperty(field, seed.ratio());
                case "seedRatioMode" -> o.addProperty(field, seed.ratioMode().ordinal());
                case "seedIdleLimit" -> o.addProperty(field, seed.idleMinutes());
                case "seedIdleMode" -> o.addProperty(field, seed.idleMode().ordinal());
                case "isStalled" -> o.addProperty(field, s.state() == TorrentState.DOWNLOADING && s.downloadRate() == 0);
                case "leftUntilDone" -> o.addProperty(field, s.wantedBytes() - s.verifiedBytes());
                case "sizeWhenDone" -> o.addProperty(field, s.wantedBytes());
                case "totalSize" -> o.addProperty(field, meta == null ? 0 : meta.totalSize());
                case "percentDone" -> o.addProperty(field, meta == null ? 0.0 : s.progress());
                case "haveValid" -> o.addProperty(field, s.verifiedBytes());
                case "haveUnchecked", "doneDate", "startDate", "recheckProgress" -> o.addProperty(field, 0);
                case "downloadLimit" -> o.addProperty(field, TorrentMethods.kib(handle.rateLimits().downloadBytesPerSecond()));
                case "downloadLimited" -> o.addProperty(field, handle.rateLimits().downloadBytesPerSecond() > 0);
                case "uploadLimit" -> o.addProperty(field, TorrentMethods.kib(handle.rateLimits().uploadBytesPerSecond()));
                case "uploadLimited" -> o.addProperty(field, handle.rateLimits().uploadBytesPerSecond() > 0);
                case "honorsSessionLimits" -> o.addProperty(field, true); // the engine's limits always apply too
                case "rateDownload" -> o.addProperty(field, s.downloadRate());
                case "rateUpload" -> o.addProperty(field, s.uploadRate());
                case "peersConnected" -> o.addProperty(field, s.peers());
                // The engine does not count peers per direction: every connected peer while payload flows.
                case "peersSendingToUs" -> o.addProperty(field, s.downloadRate() > 0 ? s.peers() : 0);
                case "peersGettingFromUs" -> o.addProperty(field, s.uploadRate() > 0 ? s.peers() : 0);
                // Ever: this run's plus the earlier runs' the session kept.
                case "uploadRatio" -> o.addProperty(field, down == 0 ? -1.0 : (double) up / down);
                case "uploadedEver" -> o.addProperty(field, up);
                case "downloadedEver" -> o.addProperty(field, down);
                case "corruptEver" -> o.addProperty(field, meta == null ? 0 : s.hashFailures() * meta.pieceLength());
                case "downloadDir" -> o.addProperty(field, downloadDir(handle, entry));
                case "addedDate" -> o.addProperty(field, entry.addedSeconds);
                case "activityDate" -> o.addProperty(field, s.downloadRate() + s.uploadRate() > 0 ? now : entry.addedSeconds);
                case "dateCreated" -> o.addProperty(field, meta == null ? 0 : meta.creationDate().orElse(0L));
                case "comment" -> o.addProperty(field, meta == null ? "" : meta.comment().orElse(""));
                case "creator" -> o.addProperty(field, meta == null ? "" : meta.createdBy().orElse(""));
                case "isPrivate" -> o.addProperty(field, meta != null && meta.isPrivate());
                case "pieceCount" -> o.addProperty(field, s.pieces());
                case "pieceSize" -> o.addProperty(field, meta == null ? 0 : meta.pieceLength());
                case "magnetLink" -> o.addProperty(field, meta == null ? "magnet:?xt=urn:btih:" + entry.infoHash.hex()
                        : metainfoService.magnetUri(metainfoService.magnetOf(meta)));
                case "metadataPercentComplete" -> o.addProperty(field, meta == null ? 0.0 : 1.0);
                case "files" -> o.add(field, files(meta, s));
                case "fileStats" -> o.add(field, fileStats(meta, s, entry));
                case "priorities", "wanted" -> o.add(field, perFile(meta, entry, field.equals("wanted")));
                case "trackers" -> o.add(field, trackers(meta));
                case "webseeds" -> o.add(field, webseeds(meta));
                default -> {
                    // peers, trackerStats, pieces (PeerFields); labels, sequentialDownload (KeptFields);
                    // anything else is left out, as Transmission leaves out unknown names.
                    if (!kept.describe(field, handle, o)) {
                        PeerFields.describe(handle, field, o);
                    }
                }
            }
        }
        return o;
    }

    /** The engine's, for torrents added elsewhere too (the shell, a restore); the RPC's record for an older engine. */
    private static String downloadDir(TorrentHandle handle, TorrentBook.Entry entry) {
        try {
            return handle.downloadDir().toString();
        } catch (UnsupportedOperationException e) {
            return entry.downloadDir == null ? "" : entry.downloadDir.toString();
        }
    }

    static int status(TorrentState state) {
        return switch (state) {
            case CHECKING -> CHECKING;
            case DOWNLOADING -> DOWNLOADING;
            case SEEDING -> SEEDING;
            case PAUSED, STOPPED, ERROR -> STOPPED;
        };
    }

    /**
     * The engine reports verified bytes per torrent, not per file: a wanted file's completed
     * bytes are its share at the torrent's progress (exact at 0% and 100%).
     */
    private static long completed(FileEntry f, TorrentStats s, boolean wanted) {
        return wanted ? Math.round(f.length() * s.progress()) : 0;
    }

    private static JsonArray files(TorrentMetainfo meta, TorrentStats s) {
        JsonArray a = new JsonArray();
        if (meta != null) {
            for (FileEntry f : meta.files()) {
                JsonObject o = new JsonObject();
                o.addProperty("name", meta.multiFile() ? meta.name() + "/" + f.displayPath() : f.displayPath());
                o.addProperty("length", f.length());
                o.addProperty("bytesCompleted", completed(f, s, true));
                a.add(o);
            }
        }
        return a;
    }

    private static JsonArray fileStats(TorrentMetainfo meta, TorrentStats s, TorrentBook.Entry entry) {
        JsonArray a = new JsonArray();
        if (meta != null) {
            for (int i = 0; i < meta.files().size(); i++) {
                JsonObject o = new JsonObject();
                o.addProperty("bytesCompleted", completed(meta.files().get(i), s, entry.wanted(i)));
                o.addProperty("wanted", entry.wanted(i));
                o.addProperty("priority", entry.priority(i));
                a.add(o);
            }
        }
        return a;
    }

    private static JsonArray perFile(TorrentMetainfo meta, TorrentBook.Entry entry, boolean wanted) {
        JsonArray a = new JsonArray();
        for (int i = 0; meta != null && i < meta.files().size(); i++) {
            if (wanted) {
                a.add(entry.wanted(i) ? 1 : 0);
            } else {
                a.add(entry.priority(i));
            }
        }
        return a;
    }

    private static JsonArray trackers(TorrentMetainfo meta) {
        JsonArray a = new JsonArray();
        for (int tier = 0; meta != null && tier < meta.trackerTiers().size(); tier++) {
            for (String url : meta.trackerTiers().get(tier)) {
                JsonObject o = new JsonObject();
                o.addProperty("id", a.size());
                o.addProperty("tier", tier);
                o.addProperty("announce", url);
                o.addProperty("scrape", "");
                a.add(o);
            }
        }
        return a;
    }

    private static JsonArray webseeds(TorrentMetainfo meta) {
        JsonArray a = new JsonArray();
        if (meta != null) {
            meta.webSeeds().forEach(a::add);
        }
        return a;
    }
}
