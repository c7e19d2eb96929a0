package io.piecework.api.engine;

import io.piecework.api.metainfo.InfoHash;
import java.util.Optional;

/**
 * A torrent's statistics at one moment, published by the torrent so that readers never take
 * its lock.
 *
 * @param wantedBytes     bytes of pieces not skipped
 * @param verifiedBytes   bytes of wanted pieces downloaded and verified
 * @param downloadRate    payload bytes per second received, recent average
 * @param uploadRate      payload bytes per second sent, recent average
 * @param etaSeconds      estimated seconds to completion, -1 when unknown
 * @param lockAcquisitions how often the torrent's lock was taken
 * @param lockWaitNanos   total time threads waited for the torrent's lock
 * @param lockHoldNanos   total time the torrent's lock was held
 * @param lockWaitP50Nanos median wait for the lock (power-of-two buckets: within a factor of 2)
 * @param lockWaitP99Nanos 99th percentile of the waits
 * @param lockHoldP50Nanos median time the lock was held
 * @param lockHoldP99Nanos 99th percentile of the holds
 * @param lockHandoffs    work (a block to book, a message to take in) handed to the lock's holder,
 *                        which runs it before releasing the lock, instead of waiting for the lock;
 *                        its time is in the holder's hold time
 * @param requestUpdates  request updates run for this torrent's peers
 * @param hashFailures    pieces that failed verification and were downloaded again
 * @param bannedPeers     peers banned for sending data that failed verification
 * @param lockWaits       the waits for the lock in fixed buckets (API 1.4; empty from older engines)
 * @param lockHolds       the times the lock was held, in the same buckets (API 1.4)
 * @param requestUpdateNanos time the request strategy spent in those request updates (API 1.4):
 *                        divided by {@code requestUpdates}, what deciding what to request costs
 */
public record TorrentStats(InfoHash infoHash, String name, TorrentState state, int pieces, int piecesVerified,
                           long wantedBytes, long verifiedBytes, long downloaded, long uploaded,
                           long downloadRate, long uploadRate, int peers, int seeds, long etaSeconds,
                           long lockAcquisitions, long lockWaitNanos, long lockHoldNanos,
                           long lockWaitP50Nanos, long lockWaitP99Nanos, long lockHoldP50Nanos, long lockHoldP99Nanos,
                           long lockHandoffs, long requestUpdates, int hashFailures, int bannedPeers,
                           Optional<String> error, DurationBuckets lockWaits, DurationBuckets lockHolds,
                           long requestUpdateNanos) {
    public TorrentStats {
        lockWaits = lockWaits == null ? DurationBuckets.EMPTY : lockWaits;
        lockHolds = lockHolds == null ? DurationBuckets.EMPTY : lockHolds;
    }

    /** Statistics without the request updates' time (API 1.4, before it was counted). */
    public TorrentStats(InfoHash infoHash, String name, TorrentState state, int pieces, int piecesVerified,
                        long wantedBytes, long verifiedBytes, long downloaded, long uploaded,
                        long downloadRate, long uploadRate, int peers, int seeds, long etaSeconds,
                        long lockAcquisitions, long lockWaitNanos, long lockHoldNanos,
                        long lockWaitP50Nanos, long lockWaitP99Nanos, long lockHoldP50Nanos, long lockHoldP99Nanos,
                        long lockHandoffs, long requestUpdates, int hashFailures, int bannedPeers,
                        Optional<String> error, DurationBuckets lockWaits, DurationBuckets lockHolds) {
        this(infoHash, name, state, pieces, piecesVerified, wantedBytes, verifiedBytes, downloaded, uploaded,
                downloadRate, uploadRate, peers, seeds, etaSeconds, lockAcquisitions, lockWaitNanos, lockHoldNanos,
                lockWaitP50Nanos, lockWaitP99Nanos, lockHoldP50Nanos, lockHoldP99Nanos, lockHandoffs, requestUpdates,
                hashFailures, bannedPeers, error, lockWaits, lockHolds, 0);
    }

    /** Statistics without the lock's buckets (API 1.3). */
    public TorrentStats(InfoHash infoHash, String name, TorrentState state, int pieces, int piecesVerified,
                        long wantedBytes, long verifiedBytes, long downloaded, long uploaded,
                        long downloadRate, long uploadRate, int peers, int seeds, long etaSeconds,
                        long lockAcquisitions, long lockWaitNanos, long lockHoldNanos,
                        long lockWaitP50Nanos, long lockWaitP99Nanos, long lockHoldP50Nanos, long lockHoldP99Nanos,
                        long lockHandoffs, long requestUpdates, int hashFailures, int bannedPeers,
                        Optional<String> error) {
        this(infoHash, name, state, pieces, piecesVerified, wantedBytes, verifiedBytes, downloaded, uploaded,
                downloadRate, uploadRate, peers, seeds, etaSeconds, lockAcquisitions, lockWaitNanos, lockHoldNanos,
                lockWaitP50Nanos, lockWaitP99Nanos, lockHoldP50Nanos, lockHoldP99Nanos, lockHandoffs, requestUpdates,
                hashFailures, bannedPeers, error, DurationBuckets.EMPTY, DurationBuckets.EMPTY, 0);
    }

    /** Statistics of an engine that hands no work to the lock's holder (API 1.1). */
    public TorrentStats(InfoHash infoHash, String name, TorrentState state, int pieces, int piecesVerified,
                        long wantedBytes, long verifiedBytes, long downloaded, long uploaded,
                        long downloadRate, long uploadRate, int peers, int seeds, long etaSeconds,
                        long lockAcquisitions, long lockWaitNanos, long lockHoldNanos,
                        long lockWaitP50Nanos, long lockWaitP99Nanos, long lockHoldP50Nanos, long lockHoldP99Nanos,
                        long requestUpdates, int hashFailures, int bannedPeers, Optional<String> error) {
        this(infoHash, name, state, pieces, piecesVerified, wantedBytes, verifiedBytes, downloaded, uploaded,
                downloadRate, uploadRate, peers, seeds, etaSeconds, lockAcquisitions, lockWaitNanos, lockHoldNanos,
                lockWaitP50Nanos, lockWaitP99Nanos, lockHoldP50Nanos, lockHoldP99Nanos, 0, requestUpdates,
                hashFailures, bannedPeers, error, DurationBuckets.EMPTY, DurationBuckets.EMPTY, 0);
    }

    /** Fraction of wanted bytes verified, 0 to 1. */
    public double progress() {
        return wantedBytes == 0 ? 1.0 : (double) verifiedBytes / wantedBytes;
    }
}
