package io.piecework.core.internal;

import io.piecework.api.discovery.AnnounceTarget;
import io.piecework.api.discovery.Announcement;
import io.piecework.api.discovery.PeerSink;
import io.piecework.api.discovery.PeerSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds peer sources to torrents: every bound torrent is announced to every source, a source
 * that arrives later is announced the running torrents, and a source that leaves takes its
 * announcements with it (it closes them itself). Private torrents (BEP 27) never reach a
 * source named {@value #DHT}.
 */
final class Discovery {
    private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);
    static final String DHT = "dht";

    private final Map<PeerSource, String> sources = new ConcurrentHashMap<>();
    private final Set<Binding> bindings = ConcurrentHashMap.newKeySet();

    void addSource(PeerSource source, String name) {
        sources.put(source, name == null ? "" : name);
        for (Binding b : bindings) {
            b.announceTo(source, name);
        }
    }

    void removeSource(PeerSource source) {
        sources.remove(source);
        for (Binding b : bindings) {
            b.forget(source);
        }
    }

    int sourceCount() {
        return sources.size();
    }

    /** Starts announcing {@code target} to every source; peers found go to {@code sink}. */
    Binding bind(AnnounceTarget target, PeerSink sink) {
        Binding b = new Binding(target, sink);
        bindings.add(b);
        for (Map.Entry<PeerSource, String> e : sources.entrySet()) {
            b.announceTo(e.getKey(), e.getValue());
        }
        return b;
    }

    /** One torrent's announcements, one per source. */
    final class Binding {
        private final AnnounceTarget target;
        private final PeerSink sink;
        // Guarded by this.
        private final Map<PeerSource, Announcement> announcements = new java.util.HashMap<>();
        private final Map<PeerSource, String> names = new java.util.HashMap<>();
        private boolean closed;

        private Binding(AnnounceTarget target, PeerSink sink) {
            this.target = target;
            this.sink = sink;
        }

        synchronized void announceTo(PeerSource source, String name) {
            if (closed || announcements.containsKey(source) || (DHT.equals(name) && target.isPrivate())) {
                return;
            }
            try {
                announcements.put(source, source.announce(target, sink));
                names.put(source, name);
            } catch (RuntimeException e) {
                LOG.warn("{}: peer source {} refused the announce", target.infoHash(), name, e);
            }
        }

        synchronized void forget(PeerSource source) {
            announcements.remove(source);
            names.remove(source);
        }

        /** The torrent turned out private (its metadata arrived): the DHT must not have it. */
        void privacyKnown() {
            List<Announcement> closing = new ArrayList<>();
            synchronized (this) {
                if (!target.isPrivate()) {
                    return;
                }
                for (Map.Entry<PeerSource, String> e : new ArrayList<>(names.entrySet())) {
                    if (DHT.equals(e.getValue())) {
                        closing.add(announcements.remove(e.getKey()));
                        names.remove(e.getKey());
                    }
                }
            }
            closing.forEach(Binding::closeQuietly);
        }

        void completed() {
            for (Announcement a : snapshot()) {
                try {
                    a.completed();
                } catch (RuntimeException e) {
                    LOG.warn("{}: completed announce failed", target.infoHash(), e);
                }
            }
        }

        /** Asks every source for peers now (each still honours its own minimum interval). */
        void announceNow() {
            for (Announcement a : snapshot()) {
                try {
                    a.announceNow();
                } catch (RuntimeException e) {
                    LOG.debug("{}: announce failed", target.infoHash(), e);
                }
            }
        }

        List<String> status() {
            List<String> out = new ArrayList<>();
            synchronized (this) {
                for (Map.Entry<PeerSource, Announcement> e : announcements.entrySet()) {
                    out.add(names.get(e.getKey()) + ": " + e.getValue().status());
                }
            }
            return out;
        }

        /** Each tracker's last result, from the sources that keep them (the tracker source). */
        List<io.piecework.api.engine.TrackerInfo> trackers() {
            List<io.piecework.api.engine.TrackerInfo> out = new ArrayList<>();
            for (Announcement a : snapshot()) {
                out.addAll(a.trackers());
            }
            return out;
        }

        private synchronized List<Announcement> snapshot() {
            return new ArrayList<>(announcements.values());
        }

        void close() {
            List<Announcement> closing;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                closing = new ArrayList<>(announcements.values());
                announcements.clear();
                names.clear();
            }
            bindings.remove(this);
            closing.forEach(Binding::closeQuietly);
        }

        private static void closeQuietly(Announcement a) {
            try {
                a.close();
            } catch (RuntimeException e) {
                LOG.debug("closing an announcement failed", e);
            }
        }
    }
}
