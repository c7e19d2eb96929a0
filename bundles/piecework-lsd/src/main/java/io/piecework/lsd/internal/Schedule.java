package io.piecework.lsd.internal;

import io.piecework.api.discovery.AnnounceTarget;
import io.piecework.api.discovery.PeerSink;
import io.piecework.api.metainfo.InfoHash;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which torrents to announce when, and where the announces we hear go; no sockets, no clock
 * of its own (times are given), confined to the LSD event loop. Each torrent is announced
 * every {@code interval}; datagrams leave at most once per {@code gap} (the BEP: no more than
 * one announce a minute), each carrying every due torrent that fits, most overdue first.
 */
final class Schedule {
    /** One torrent being announced. */
    static final class Entry {
        final AnnounceTarget target;
        final PeerSink sink;
        long due;
        volatile long lastSent = -1;
        volatile int found;

        Entry(AnnounceTarget target, PeerSink sink, long due) {
            this.target = target;
            this.sink = sink;
            this.due = due;
        }
    }

    /** The info-hashes of one datagram and the port they are announced with. */
    record Batch(int port, List<InfoHash> hashes) {
    }

    private final long interval;
    private final long gap;
    private final int perDatagram;
    private final Map<InfoHash, Entry> entries = new HashMap<>();
    private long lastSent;
    private boolean sentAny;

    Schedule(long intervalNanos, long gapNanos, int perDatagram) {
        this.interval = intervalNanos;
        this.gap = gapNanos;
        this.perDatagram = Math.max(1, perDatagram);
    }

    /** Starts announcing; private torrents (BEP 27) are never announced nor given LSD peers. */
    Entry add(AnnounceTarget target, PeerSink sink, long now) {
        Entry e = new Entry(target, sink, now);
        entries.put(target.infoHash(), e);
        return e;
    }

    void remove(Entry e) {
        entries.remove(e.target.infoHash(), e);
    }

    void dueNow(Entry e, long now) {
        e.due = Math.min(e.due, now);
    }

    /** When the next datagram may leave; {@code Long.MAX_VALUE} when nothing is to announce. */
    long nextWake() {
        long earliest = Long.MAX_VALUE;
        for (Entry e : entries.values()) {
            if (announceable(e)) {
                earliest = Math.min(earliest, e.due);
            }
        }
        if (earliest == Long.MAX_VALUE || !sentAny) {
            return earliest;
        }
        return Math.max(earliest, lastSent + gap);
    }

    /** The datagram to send now, if one is due and the gap since the last one has passed. */
    Batch take(long now) {
        if (sentAny && now - lastSent < gap) {
            return null;
        }
        List<Entry> due = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (announceable(e) && e.due <= now) {
                due.add(e);
            }
        }
        if (due.isEmpty()) {
            return null;
        }
        due.sort(Comparator.comparingLong(e -> e.due));
        int port = due.get(0).target.port();
        List<InfoHash> hashes = new ArrayList<>();
        for (Entry e : due) {
            if (hashes.size() < perDatagram && e.target.port() == port) {
                hashes.add(e.target.infoHash());
                e.due = now + interval;
                e.lastSent = now;
            }
        }
        lastSent = now;
        sentAny = true;
        return new Batch(port, hashes);
    }

    /** An announce heard from {@code from}: its peer goes to each torrent of ours it names. */
    int heard(InetAddress from, LsdCodec.Announce announce) {
        int delivered = 0;
        for (InfoHash h : announce.infoHashes()) {
            Entry e = entries.get(h);
            if (e != null && !e.target.isPrivate()) {
                e.found++;
                e.sink.found(List.of(new InetSocketAddress(from, announce.port())), "lsd");
                delivered++;
            }
        }
        return delivered;
    }

    int size() {
        return entries.size();
    }

    private static boolean announceable(Entry e) {
        return !e.target.isPrivate() && e.target.port() > 0;
    }
}
