package io.piecework.core.internal;

import io.piecework.api.discovery.AnnounceTarget;
import io.piecework.api.metainfo.InfoHash;
import java.util.List;

/**
 * What peer sources read of a torrent at each announce: live counters, never a copy. A magnet
 * link's target has no torrent until its metadata arrives; until then it announces a nominal
 * one metadata piece left, so trackers count us as a leecher and hand us seeders.
 */
final class LiveTarget implements AnnounceTarget {
    static final long UNKNOWN_LEFT = 16 * 1024;

    private final Engine engine;
    private final InfoHash infoHash;
    private final List<List<String>> fallbackTiers;
    private volatile Torrent torrent;

    LiveTarget(Engine engine, InfoHash infoHash, List<List<String>> fallbackTiers) {
        this.engine = engine;
        this.infoHash = infoHash;
        this.fallbackTiers = List.copyOf(fallbackTiers);
    }

    LiveTarget(Torrent torrent) {
        this(torrent, torrent.infoHash());
    }

    /** The torrent in the swarm of {@code swarm}: one of its hashes (a hybrid's truncated v2 one). */
    LiveTarget(Torrent torrent, InfoHash swarm) {
        this(torrent.engine, swarm, List.of());
        this.torrent = torrent;
    }

    /** The metadata arrived: read the torrent from now on. */
    void resolve(Torrent resolved) {
        torrent = resolved;
    }

    @Override
    public InfoHash infoHash() {
        return infoHash;
    }

    @Override
    public byte[] peerId() {
        return engine.transport().localPeerId().bytes();
    }

    @Override
    public List<List<String>> trackerTiers() {
        Torrent t = torrent;
        // A magnet's tr= trackers stay in use when the info dictionary names none of its own.
        return t == null || t.metainfo.trackerTiers().isEmpty() ? fallbackTiers : t.metainfo.trackerTiers();
    }

    @Override
    public boolean isPrivate() {
        Torrent t = torrent;
        return t != null && t.metainfo.isPrivate();
    }

    @Override
    public int port() {
        return engine.listenPort();
    }

    @Override
    public long uploaded() {
        Torrent t = torrent;
        return t == null ? 0 : t.uploaded.total();
    }

    @Override
    public long downloaded() {
        Torrent t = torrent;
        return t == null ? 0 : t.downloaded.total();
    }

    @Override
    public long left() {
        Torrent t = torrent;
        return t == null ? UNKNOWN_LEFT : t.left();
    }
}
