package io.piecework.api.engine;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.MagnetLink;
import io.piecework.api.metainfo.TorrentMetainfo;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/** One torrent in the engine. Methods return at once; the work happens on the engine's threads. */
@ProviderType
public interface TorrentHandle {
    InfoHash infoHash();

    /** The torrent's metadata; null for a magnet link until its info dictionary is fetched and verified. */
    TorrentMetainfo metainfo();

    /** Connects and exchanges pieces. */
    void start();

    /** Disconnects all peers and stops; state is saved, {@link #start()} resumes. */
    void stop();

    /** Keeps peers connected but stops requesting and uploading. */
    void pause();

    /** Stops the torrent, forgets it, and deletes its data when asked. */
    CompletableFuture<Void> remove(boolean deleteData);

    /** Connects to a peer (with backoff on failure). */
    void connect(InetSocketAddress peer);

    /** Sets a file's priority; pieces take the highest priority of the files they touch. */
    void filePriority(int fileIndex, Priority priority);

    /** Sets one piece's priority, overriding its files'. */
    void piecePriority(int piece, Priority priority);

    // What a session keeps of the files and the order (API 1.4).

    /**
     * Each file's priority as last set ({@link Priority#SKIP}: not wanted), in the metainfo's file
     * order; empty while a magnet link's metadata is unknown. A change emits
     * {@link TorrentEvent.Kind#SETTINGS_CHANGED}.
     */
    default java.util.List<Priority> filePriorities() {
        return java.util.List.of();
    }

    /**
     * Requests the wanted pieces in index order (first to last, within each priority level)
     * instead of the strategy's order (rarest first); applied at once. A change emits
     * {@link TorrentEvent.Kind#SETTINGS_CHANGED}.
     */
    default void sequential(boolean sequential) {
        throw new UnsupportedOperationException(getClass().getName() + " has no sequential download");
    }

    /** Whether {@link #sequential(boolean)} is on; off by default. */
    default boolean sequential() {
        return false;
    }

    // Queueing, seeding limits and re-checking (API 1.3; kept together, other additions go elsewhere).

    /**
     * Hashes the torrent's data on disk again: a running torrent stops, its pieces are checked
     * through its storage (pieces that no longer match are downloaded again) and it starts once
     * more; a stopped one stays stopped. Completes when the check is done.
     */
    default CompletableFuture<Void> verify() {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(
                getClass().getName() + " cannot re-check its data"));
    }

    // The details page's views (API 1.4): copies taken without walking piece sets under the torrent's lock.

    /** The connected peers now; empty for an engine that does not list them. */
    default List<PeerInfo> peers() {
        return List.of();
    }

    /** Each tracker URL and its last announce; empty for an engine that does not record them. */
    default List<TrackerInfo> trackers() {
        return List.of();
    }

    /**
     * Our verified pieces as a BitTorrent bitfield (piece 0 is the high bit of byte 0, spare
     * bits zero); empty while the piece count is unknown (a magnet link without metadata).
     */
    default byte[] verifiedPieces() {
        return new byte[0];
    }

    /** The latest statistics snapshot; takes no lock. */
    TorrentStats stats();

    /** Completes when every wanted piece is verified (at once if they already are). */
    CompletableFuture<Void> completion();

    /**
     * Caps this torrent's rates, within the engine's limits; applied at once to its connections
     * and kept while it stays in the engine (stopped and started again too).
     */
    default void rateLimits(RateLimits limits) {
        throw new UnsupportedOperationException(getClass().getName() + " has no rate limits");
    }

    /** The limits set by {@link #rateLimits(RateLimits)}; unlimited until then. */
    default RateLimits rateLimits() {
        return RateLimits.UNLIMITED;
    }

    // What a persistent session saves to add the torrent again (kept last: other additions go above).

    /** The folder given when it was added ({@link AddOptions#downloadDir()}); a multi-file torrent's folder is in it. */
    default Path downloadDir() {
        throw new UnsupportedOperationException(getClass().getName() + " does not say its download folder");
    }

    /**
     * The magnet link it was added by while its metadata is not known yet; empty for a torrent
     * added from a .torrent and for a magnet's torrent once its metadata is known (then
     * {@link #metainfo()} has what a .torrent would).
     */
    default Optional<MagnetLink> magnet() {
        return Optional.empty();
    }
}
