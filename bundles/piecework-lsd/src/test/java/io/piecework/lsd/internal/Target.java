package io.piecework.lsd.internal;

import io.piecework.api.discovery.AnnounceTarget;
import io.piecework.api.metainfo.InfoHash;
import java.util.List;

/** A torrent as the engine would give it to a peer source. */
record Target(InfoHash infoHash, int port, boolean isPrivate) implements AnnounceTarget {
    static Target of(String hex, int port) {
        return new Target(InfoHash.parse(hex), port, false);
    }

    @Override
    public byte[] peerId() {
        return new byte[20];
    }

    @Override
    public List<List<String>> trackerTiers() {
        return List.of();
    }

    @Override
    public long uploaded() {
        return 0;
    }

    @Override
    public long downloaded() {
        return 0;
    }

    @Override
    public long left() {
        return 1;
    }
}
