package io.piecework.session.internal;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.RateLimits;
import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.MagnetLink;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.text.Untrusted;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
    private SessionStore store;

    Session(TorrentEngine engine, MetainfoService metainfo, SessionStore store) {
        this.engine = engine;
        this.metainfo = metainfo;
        this.store = store;
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
     * again. A torrent that cannot be added is logged and left out.
     */
    void restore() {
        List<SessionEntry> entries = store.read();
        int restored = 0;
        int started = 0;
        for (SessionEntry e : entries) {
            try {
                AddOptions options = new AddOptions(e.downloadDir(), !e.started(), List.of());
                if (e.isMagnet()) {
                    MagnetLink link = metainfo.parseMagnet(e.magnetUri());
                    same(e.infoHash(), link.infoHash(), "magnet link");
                    limit(engine.add(link, options), e);
                } else {
                    TorrentMetainfo meta = metainfo.read(store.torrentFile(e.infoHash()));
                    same(e.infoHash(), meta.infoHash(), "saved .torrent");
                    limit(engine.add(meta, options), e);
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

    private static void limit(TorrentHandle torrent, SessionEntry e) {
        if (!e.limits().equals(RateLimits.UNLIMITED)) {
            torrent.rateLimits(e.limits());
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
        for (TorrentHandle t : engine.torrents()) {
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
        boolean started = t.stats().state() != TorrentState.STOPPED;
        return Optional.of(new SessionEntry(t.infoHash(), dir, started, meta != null ? "" : metainfo.magnetUri(link.get()),
                t.rateLimits()));
    }
}
