package io.piecework.tracker.internal;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.discovery.AnnounceTarget;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A torrent to announce in tests: a fixed info hash, an all-zero peer id, port 6881, nothing
 * transferred. The tiers and the bytes left are read at each call, so a test may change them
 * between announces.
 */
final class TestTarget implements AnnounceTarget {
    private final byte[] peerId = new byte[20];
    private final Supplier<List<List<String>>> tiers;
    private final boolean isPrivate;
    private final LongSupplier left;

    TestTarget(Supplier<List<List<String>>> tiers, boolean isPrivate, LongSupplier left) {
        this.tiers = tiers;
        this.isPrivate = isPrivate;
        this.left = left;
    }

    @Override
    public InfoHash infoHash() {
        return InfoHash.parse("0123456789abcdef0123456789abcdef01234567");
    }

    @Override
    public byte[] peerId() {
        return peerId;
    }

    @Override
    public List<List<String>> trackerTiers() {
        return tiers.get();
    }

    @Override
    public boolean isPrivate() {
        return isPrivate;
    }

    @Override
    public int port() {
        return 6881;
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
        return left.getAsLong();
    }
}
