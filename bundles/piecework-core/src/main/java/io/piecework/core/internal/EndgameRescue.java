package io.piecework.core.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The endgame's safety net, run by the torrent's timer once a second. The strategies already
 * ask a second peer for a block in flight when that peer's pipeline is refilled in endgame, but
 * nothing refills a peer whose duplicates were all answered (and cancelled) by the first: a
 * slow peer that serves its queue in order and holds the last block (Transmission 3.00 sends its
 * reject for the 512th request about 10 s late) then keeps the torrent at 99.9 % with an idle
 * fast peer beside it.
 *
 * <p>So in endgame a request that every peer holding it has kept for longer than its bound (see
 * {@link #overdueAfter}), while that peer sent no block for as long, is sent to one more unchoked
 * peer that has the piece and room in its pipeline, the fastest one; when the block arrives from anyone the others are cancelled
 * (BEP 3), as for every endgame duplicate. Outside endgame nothing is duplicated: the timeout
 * ({@link Torrent#REQUEST_TIMEOUT_NANOS}) frees a block for whoever asks next. A peer that keeps
 * sending is never judged late, however deep its queue: under a rate limit every queue is long,
 * and judging by age alone (first tried: age against the time to drain what is still queued)
 * asked for 9 MB of a 12 MiB torrent twice in SharedLimitLoopbackTest.
 *
 * <p>Cost: one pass over the requests out (in endgame only: the last blocks), never over the
 * pieces, under the torrent's lock.
 */
final class EndgameRescue {
    /** A block is not late before this, however fast its peer: a round trip plus a peer's batching. */
    static final long FLOOR_NANOS = TimeUnit.SECONDS.toNanos(3);
    /** Late is this many times the peer's observed time per block (16 KiB at its rate) without a block. */
    static final int QUIET_BLOCKS = 4;
    /** Rescues per tick at most: a safety net for the last blocks, not a second download. */
    static final int MAX_PER_TICK = 32;
    /** Requests out for one block at most (the strategies stop at 2; rescues may add a few). */
    static final int MAX_IN_FLIGHT = 4;

    private EndgameRescue() {
    }

    /**
     * Under the lock: asks other peers for the endgame's overdue blocks; the requests leave
     * through the lock's outbox once it is released.
     *
     * @return requests sent
     */
    static int rescue(BlockPath blocks, List<PeerSession> peers, long now) {
        PieceTracker tracker = blocks.tracker;
        if (!tracker.endgame()) {
            return 0;
        }
        // (piece, block) -> requests out for it that are overdue, over every peer.
        Map<Long, Integer> overdue = new HashMap<>();
        for (PeerSession p : peers) {
            long bound = overdueAfter(p);
            if (now - p.lastBlockAt < bound) {
                continue; // it is still sending: its queue moves, however deep
            }
            for (int i = 0; i < p.pending.size(); i++) {
                if (now - p.pending.sentAt(i) >= bound) {
                    overdue.merge(key(p.pending.piece(i), p.pending.block(i)), 1, Integer::sum);
                }
            }
        }
        int sent = 0;
        for (Map.Entry<Long, Integer> e : overdue.entrySet()) {
            if (sent == MAX_PER_TICK) {
                break;
            }
            int piece = (int) (e.getKey() >>> 32);
            int block = (int) (long) e.getKey();
            PartialPiece pp = tracker.inProgress(piece);
            if (pp == null || pp.isReceived(block) || pp.inFlight[block] > e.getValue()
                    || pp.inFlight[block] >= MAX_IN_FLIGHT) {
                continue; // arrived, or some peer holding it is not late yet
            }
            PeerSession helper = helper(peers, piece, block, now);
            if (helper != null) {
                pp.inFlight[block]++;
                helper.pending.add(piece, block, now);
                blocks.lock().outbox.request(helper.connection, piece, block * PieceTracker.BLOCK,
                        tracker.blockLength(piece, block));
                sent++;
            }
        }
        return sent;
    }

    /**
     * How long a request to {@code p} may stay out, and {@code p} send nothing, before the request
     * counts as late: {@link #QUIET_BLOCKS} times the time {@code p} takes per block at its
     * measured rate, and never less than {@link #FLOOR_NANOS} (a peer that sends nothing has no
     * rate: the floor).
     */
    static long overdueAfter(PeerSession p) {
        long rate = p.downloadRate();
        if (rate <= 0) {
            return FLOOR_NANOS;
        }
        long blockNanos = (long) ((double) PieceTracker.BLOCK / rate * 1e9);
        return Math.max(FLOOR_NANOS, QUIET_BLOCKS * blockNanos);
    }

    /** The fastest peer that may be asked for the block now, or null. */
    private static PeerSession helper(List<PeerSession> peers, int piece, int block, long now) {
        PeerSession best = null;
        for (PeerSession q : peers) {
            if (q.closed || q.peerChoking || !q.has(piece) || q.rejects.paused(now)
                    || q.inFlight() >= q.pipelineTarget() || q.pending.asked(piece, block)) {
                continue;
            }
            if (best == null || q.downloadRate() > best.downloadRate()) {
                best = q;
            }
        }
        return best;
    }

    private static long key(int piece, int block) {
        return (long) piece << 32 | (block & 0xFFFF_FFFFL);
    }
}
