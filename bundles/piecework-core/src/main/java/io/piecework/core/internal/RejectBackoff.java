package io.piecework.core.internal;

import java.util.concurrent.TimeUnit;

/**
 * How we answer a peer that unchokes us and then rejects what we ask for (BEP 6 reject
 * messages). The first reject of a burst starts a pause in which the peer gets no requests; each
 * burst after that, with no block in between, doubles the pause and halves the pipeline it gets
 * when the pause ends. After {@link #GIVE_UP_ROUNDS} such rounds the peer is dropped and banned
 * for the torrent. So a peer that rejects everything is sent at most about two pipelines of
 * requests in all (32 + 16 + 8 + ...), over a minute, instead of a request per reject.
 *
 * <p>Rejects while the peer chokes us are not counted: BEP 6 has a choking peer reject what
 * we had asked. Guarded by the torrent's lock.
 */
final class RejectBackoff {
    static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    static final long LONGEST_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(30);
    static final int GIVE_UP_ROUNDS = 7;
    /**
     * Every peer that never rejected shares this one, read only: most never do, and a backoff
     * each is 32 bytes per connection. {@link PeerSession#rejected} makes the peer its own.
     */
    static final RejectBackoff NONE = new RejectBackoff();

    private int rounds;
    private long pausedUntil;
    private long rejects;

    /**
     * A request was rejected while the peer was unchoking us.
     *
     * @return whether the peer has now rejected so many rounds that it is to be dropped
     */
    boolean rejected(long now) {
        if (this == NONE) {
            throw new IllegalStateException("the shared backoff of peers that never rejected is read only");
        }
        rejects++;
        if (rounds > 0 && now - pausedUntil < 0) {
            return false; // the rest of the burst that started this pause
        }
        rounds++;
        pausedUntil = now + Math.min(LONGEST_PAUSE_NANOS, FIRST_PAUSE_NANOS << Math.min(20, rounds - 1));
        return rounds >= GIVE_UP_ROUNDS;
    }

    /** A block arrived: the peer serves after all. */
    void served() {
        if (rounds != 0) { // NONE is shared by peers of every torrent: never written
            rounds = 0;
        }
    }

    /** Whether no request may go to the peer now. */
    boolean paused(long now) {
        return rounds > 0 && now - pausedUntil < 0;
    }

    /** Whether a pause ended, so the peer may be asked again. */
    boolean resumable(long now) {
        return rounds > 0 && now - pausedUntil >= 0;
    }

    /** Whether the peer is backing us off (rejects without a block since): it counts as snubbing us. */
    boolean backingOff() {
        return rounds > 0;
    }

    /** The pipeline the peer gets: halved for each round of rejects. */
    int pipeline(int target) {
        return rounds == 0 ? target : Math.max(1, target >> rounds);
    }

    long rejects() {
        return rejects;
    }
}
