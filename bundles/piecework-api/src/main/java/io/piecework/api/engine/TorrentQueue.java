package io.piecework.api.engine;

import io.piecework.api.metainfo.InfoHash;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The order torrents wait in for a download or seeding slot, and when seeding stops. A torrent
 * someone starts while every slot is taken is <em>queued</em>: stopped in the engine and started
 * when a torrent ahead of it finishes, stops or leaves. Provided by a persistent session; without
 * one, torrents start as they are asked to.
 */
@ProviderType
public interface TorrentQueue {
    /** Where to move torrents in the queue. */
    enum Move { TOP, UP, DOWN, BOTTOM }

    /** The torrent's place, 0 first, or -1 for a torrent the queue does not know. */
    int position(InfoHash torrent);

    /** Whether it waits for a slot. */
    boolean queued(InfoHash torrent);

    /** Whether its seeding stopped at a ratio or idle limit. */
    boolean finished(InfoHash torrent);

    /** Starts it when a slot is free, or queues it; {@code now} starts it at once, outside the limits. */
    void start(InfoHash torrent, boolean now);

    /** Stops it; it no longer waits for a slot. */
    void stop(InfoHash torrent);

    /** Moves these torrents, keeping their order among themselves. */
    void move(List<InfoHash> torrents, Move move);

    QueueLimits limits();

    /** Applies at once and keeps them (the session's configuration). */
    void limits(QueueLimits limits);

    SeedLimits seedLimits(InfoHash torrent);

    /** Sets one torrent's seeding limits, kept with the session. */
    void seedLimits(InfoHash torrent, SeedLimits limits);

    // Labels (API 1.4): a session concept, kept with the queue's other per-torrent settings.

    /** The torrent's labels in the order set; empty for none or an unknown torrent. */
    default List<String> labels(InfoHash torrent) {
        return List.of();
    }

    /**
     * Replaces the torrent's labels, kept with the session.
     *
     * @throws IllegalArgumentException when they break {@link Labels#check}
     */
    default void labels(InfoHash torrent, List<String> labels) {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no labels");
    }

    /**
     * Bytes the torrent uploaded and downloaded in earlier runs (kept by the session), to add to
     * its {@link TorrentStats}' this-run figures; {@code {0, 0}} when none are known.
     */
    default long[] earlierTotals(InfoHash torrent) {
        return new long[] {0, 0};
    }
}
