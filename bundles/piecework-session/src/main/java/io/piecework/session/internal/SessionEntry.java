package io.piecework.session.internal;

import io.piecework.api.engine.Priority;
import io.piecework.api.engine.RateLimits;
import io.piecework.api.engine.SeedLimits;
import io.piecework.api.metainfo.InfoHash;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One torrent of the session: what adding it again takes.
 *
 * @param downloadDir the folder it was added with (absolute)
 * @param started     whether it runs (anything but stopped: a torrent in error is tried again)
 * @param magnetUri   the magnet link while its metadata is unknown; empty for a torrent whose
 *                    .torrent is saved beside the session file ({@link SessionStore#torrentFile})
 * @param seed        its own seeding limits (the queue's)
 * @param complete    every wanted piece was verified when saved: until it runs again the queue
 *                    counts it as a seed, not a download (a stopped torrent's pieces are unknown)
 * @param limits      its own rate limits ({@link io.piecework.api.engine.TorrentHandle#rateLimits})
 * @param kept        its labels, file priorities, order and totals
 */
record SessionEntry(InfoHash infoHash, Path downloadDir, boolean started, String magnetUri, SeedLimits seed,
                    boolean complete, RateLimits limits, Kept kept) {
    /**
     * What a client set on the torrent beyond adding it, and what it transferred.
     *
     * @param labels     its labels ({@link io.piecework.api.engine.Labels}), empty for none
     * @param files      each file's priority, empty when all are normal (or the metadata is unknown)
     * @param sequential pieces requested in index order
     * @param uploaded   bytes uploaded in all runs before the current one
     * @param downloaded bytes downloaded likewise
     */
    record Kept(List<String> labels, List<Priority> files, boolean sequential, long uploaded, long downloaded) {
        static final Kept NONE = new Kept(List.of(), List.of(), false, 0, 0);

        Kept {
            labels = List.copyOf(labels);
            files = List.copyOf(files);
        }
    }

    SessionEntry(InfoHash infoHash, Path downloadDir, boolean started, String magnetUri, SeedLimits seed,
                 boolean complete, RateLimits limits) {
        this(infoHash, downloadDir, started, magnetUri, seed, complete, limits, Kept.NONE);
    }

    SessionEntry {
        Objects.requireNonNull(kept);
        Objects.requireNonNull(infoHash);
        Objects.requireNonNull(downloadDir);
        Objects.requireNonNull(magnetUri);
        Objects.requireNonNull(seed);
        Objects.requireNonNull(limits);
    }

    /** A torrent held by the session's seeding limits, without rate limits of its own. */
    SessionEntry(InfoHash infoHash, Path downloadDir, boolean started, String magnetUri) {
        this(infoHash, downloadDir, started, magnetUri, SeedLimits.GLOBAL, false, RateLimits.UNLIMITED);
    }

    boolean isMagnet() {
        return !magnetUri.isEmpty();
    }
}
