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

    /**
     * One torrent's announcements, one per source and swarm: a hybrid torrent is announced under
     * its v1 hash and under its truncated v2 hash (BEP 52), each with its own sink.
     */
    final class Binding {
        private final AnnounceTarget target;
        // Guarded by this. The first swarm is the torrent's own; the trackers shown are its.
        private final List<AnnounceTarget> swarms = new ArrayList<>();
        private final List<PeerSink> sinks = new ArrayList<>();
        private final Map<PeerSource, List<Announcement>> announcements = new java.util.HashMap<>();
        private final Map<PeerSource, String> names = new java.util.HashMap<>();
        private boolean closed;

        private Binding(AnnounceTarget target, PeerSink sink) {
            this.target = target;
            swarms.add(target);
            sinks.add(sink);
        }

        synchronized void announceTo(PeerSource source, String name) {
            if (closed || announcements.containsKey(source) || (DHT.equals(name) && target.isPrivate())) {
                return;
            }
            announcements.put(source, new ArrayList<>(swarms.size()));
            names.put(source, name);
            for (int i = 0; i < swarms.size(); i++) {
                announce(source, i);
            }
        }

        /** Under the monitor: announces swarm {@code i} to a source that has an entry. */
        private void announce(PeerSource source, int i) {
            try {
                announcements.get(source).add(source.announce(swarms.get(i), sinks.get(i)));
            } catch (RuntimeException e) {
                LOG.warn("{}: peer source {} refused the announce", swarms.get(i).infoHash(), names.get(source), e);
            }
        }

        /**
         * Joins a second swarm of the same torrent (a hybrid's v2 one): {@code swarm} is announced to
         * every source the torrent is announced to, now and later. Once per info-hash.
         */
        synchronized void join(AnnounceTarget swarm, PeerSink sink) {
            if (closed || swarms.stream().anyMatch(s -> s.infoHash().equals(swarm.infoHash()))) {
                return;
            }
            swarms.add(swarm);
            sinks.add(sink);
            for (PeerSource source : announcements.keySet()) {
                announce(source, swarms.size() - 1);
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
                        closing.addAll(announcements.remove(e.getKey()));
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
                for (Map.Entry<PeerSource, List<Announcement>> e : announcements.entrySet()) {
                    List<Announcement> each = e.getValue();
                    for (int i = 0; i < each.size(); i++) {
                        // A second swarm's line names its hash: "tracker (1a2b3c4d...)".
                        String swarm = i == 0 ? "" : " (" + swarms.get(i).infoHash().hex().substring(0, 8) + "...)";
                        out.add(names.get(e.getKey()) + swarm + ": " + each.get(i).status());
                    }
                }
            }
            return out;
        }

        /**
         * Each tracker's last result, from the sources that keep them (the tracker source), in the
         * torrent's own swarm: a hybrid's v2 announces go to the same trackers.
         */
        List<io.piecework.api.engine.TrackerInfo> trackers() {
            List<Announcement> first = new ArrayList<>();
            synchronized (this) {
                announcements.values().forEach(each -> first.addAll(each.subList(0, Math.min(1, each.size()))));
            }
            List<io.piecework.api.engine.TrackerInfo> out = new ArrayList<>();
            for (Announcement a : first) {
                out.addAll(a.trackers());
            }
            return out;
        }

        private synchronized List<Announcement> snapshot() {
            List<Announcement> all = new ArrayList<>();
            announcements.values().forEach(all::addAll);
            return all;
        }

        void close() {
            List<Announcement> closing;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                closing = new ArrayList<>();
                announcements.values().forEach(closing::addAll);
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
