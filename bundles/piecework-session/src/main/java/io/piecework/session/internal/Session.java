package io.piecework.session.internal;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.Priority;
import io.piecework.api.engine.RateLimits;
import io.piecework.api.engine.SeedLimits;
import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.MagnetLink;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.text.Untrusted;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores the saved torrents into the engine and saves what the engine holds, apart from
 * OSGi. Not thread-safe: {@link SessionComponent} calls it from its one saving thread.
 */
final class Session {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private final TorrentEngine engine;
    private final MetainfoService metainfo;
    /** The queue, whose order the list keeps; null: torrents are saved started as they run, in the engine's order. */
    private final SessionQueue queue;
    private SessionStore store;

    Session(TorrentEngine engine, MetainfoService metainfo, SessionStore store) {
        this(engine, metainfo, store, null);
    }

    Session(TorrentEngine engine, MetainfoService metainfo, SessionStore store, SessionQueue queue) {
        this.engine = engine;
        this.metainfo = metainfo;
        this.store = store;
        this.queue = queue;
    }

    SessionStore store() {
        return store;
    }

    /** Saves into another folder from now on; returns the store left, for the caller to close. */
    SessionStore moveTo(SessionStore next) {
        SessionStore left = store;
        store = next;
        return left;
    }

    /**
     * Adds every saved torrent, each into its folder, started or not as it was. Their resume
     * records (the storage's) say which pieces were verified, so nothing verified is fetched
     * again. A torrent that cannot be added is logged and left out. With a queue, each is added
     * stopped in the saved order and the queue starts the started ones as its limits allow.
     */
    void restore() {
        List<SessionEntry> entries = store.read();
        int restored = 0;
        int started = 0;
        for (SessionEntry e : entries) {
            try {
                AddOptions options = new AddOptions(e.downloadDir(), queue != null || !e.started(), List.of());
                if (e.isMagnet()) {
                    MagnetLink link = metainfo.parseMagnet(e.magnetUri());
                    same(e.infoHash(), link.infoHash(), "magnet link");
                    keep(engine.add(link, options), e);
                } else {
                    TorrentMetainfo meta = metainfo.read(store.torrentFile(e.infoHash()));
                    same(e.infoHash(), meta.infoHash(), "saved .torrent");
                    keep(engine.add(meta, options), e);
                }
                if (queue != null) {
                    queue.restored(e.infoHash(), e.complete());
                    queue.earlierTotals(e.infoHash(), e.kept().uploaded(), e.kept().downloaded());
                    if (!e.kept().labels().isEmpty()) {
                        queue.labels(e.infoHash(), e.kept().labels());
                    }
                    if (!e.seed().equals(SeedLimits.GLOBAL)) {
                        queue.seedLimits(e.infoHash(), e.seed());
                    }
                    if (e.started()) {
                        queue.start(e.infoHash(), false);
                    }
                }
                restored++;
                started += e.started() ? 1 : 0;
            } catch (Exception failure) {
                LOG.error("session: could not restore {} into {}: {}", e.infoHash().hex(),
                        Untrusted.text(e.downloadDir().toString()), Untrusted.text(String.valueOf(failure.getMessage())));
            }
        }
        LOG.info("session: restored {} of {} torrents ({} started) from {}", restored, entries.size(), started,
                store.folder());
    }

    /** Sets again what was set on the torrent: its rate limits, file priorities and piece order. */
    private static void keep(TorrentHandle torrent, SessionEntry e) {
        if (!e.limits().equals(RateLimits.UNLIMITED)) {
            torrent.rateLimits(e.limits());
        }
        List<Priority> files = e.kept().files();
        TorrentMetainfo meta = torrent.metainfo();
        if (!files.isEmpty() && meta != null) {
            if (files.size() != meta.files().size()) {
                LOG.warn("session: {} has {} files, the session kept priorities for {}: left at normal",
                        e.infoHash().hex(), meta.files().size(), files.size());
            } else {
                for (int i = 0; i < files.size(); i++) {
                    if (files.get(i) != Priority.NORMAL) {
                        torrent.filePriority(i, files.get(i));
                    }
                }
            }
        }
        if (e.kept().sequential() && meta != null) {
            torrent.sequential(true);
        }
    }

    private static void same(InfoHash expected, InfoHash found, String what) throws IOException {
        if (!expected.equals(found)) {
            throw new IOException("the " + what + " is of another torrent (" + found.hex() + ")");
        }
    }

    /**
     * Writes the engine's torrents: each torrent's .torrent first, then the list, then the
     * .torrent files of torrents gone. A failure leaves the last good file in place.
     */
    void save() throws IOException {
        List<SessionEntry> entries = new ArrayList<>();
        Set<InfoHash> kept = new HashSet<>();
        List<TorrentHandle> torrents = new ArrayList<>(engine.torrents());
        if (queue != null) {
            // In the queue's order, which a restore adds them in; any it does not know yet go last.
            torrents.sort(Comparator.comparingInt(t -> Math.floorMod(queue.position(t.infoHash()), Integer.MAX_VALUE)));
        }
        for (TorrentHandle t : torrents) {
            Optional<SessionEntry> entry = entryOf(t);
            if (entry.isEmpty()) {
                continue;
            }
            if (!entry.get().isMagnet()) {
                store.saveTorrent(t.infoHash(), metainfo.encode(t.metainfo()));
            }
            entries.add(entry.get());
            kept.add(t.infoHash());
        }
        store.write(entries);
        store.removeTorrentsExcept(kept);
        LOG.debug("session: saved {} torrents", entries.size());
    }

    private Optional<SessionEntry> entryOf(TorrentHandle t) {
        TorrentMetainfo meta = t.metainfo();
        Optional<MagnetLink> link = t.magnet();
        if (meta == null && link.isEmpty()) {
            return Optional.empty(); // a magnet resolving at this moment: the next event saves it
        }
        Path dir = t.downloadDir().toAbsolutePath().normalize();
        // A queued torrent is stopped in the engine but wanted: it is saved as started.
        boolean started = queue != null ? queue.wanted(t.infoHash()) : t.stats().state() != TorrentState.STOPPED;
        SeedLimits seed = queue != null ? queue.seedLimits(t.infoHash()) : SeedLimits.GLOBAL;
        TorrentStats stats = t.stats();
        // A torrent not run since the restore shows no pieces: what the last save knew stands.
        boolean complete = stats.wantedBytes() > 0 && stats.verifiedBytes() >= stats.wantedBytes()
                || queue != null && queue.completeOnDisk(t.infoHash(), false);
        long[] totals = queue != null ? queue.totals(t.infoHash(), stats) : new long[] {stats.uploaded(), stats.downloaded()};
        SessionEntry.Kept kept = new SessionEntry.Kept(queue != null ? queue.labels(t.infoHash()) : List.of(),
                t.filePriorities(), t.sequential(), totals[0], totals[1]);
        return Optional.of(new SessionEntry(t.infoHash(), dir, started, meta != null ? "" : metainfo.magnetUri(link.get()),
                seed, complete, t.rateLimits(), kept));
    }
}
