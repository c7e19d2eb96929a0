package io.piecework.core.internal;

import io.piecework.api.metainfo.TorrentMetainfo;
import java.util.ArrayDeque;
import java.util.Arrays;
import org.roaringbitmap.RoaringBitmap;

/**
 * Block bookkeeping for one torrent: verified pieces, pieces in progress and the requests out
 * for their blocks, and how many wanted blocks nobody has been asked for (endgame starts when
 * that reaches zero). Pure state, no I/O; every method runs under the torrent's lock.
 */
final class PieceTracker {
    static final int BLOCK = 16 * 1024;

    private final int pieceCount;
    private final long pieceLength;
    private final long totalSize;
    private final RoaringBitmap verified = new RoaringBitmap();
    private final int[] priority;
    private final PartialPiece[] partial;
    private final ArrayDeque<PartialPiece> spare = new ArrayDeque<>();
    private int unrequested;
    private int wantedMissing;
    /** Running totals, kept as pieces change so the torrent never walks every piece to report them. */
    private long wantedBytes;
    private long verifiedWantedBytes;

    PieceTracker(TorrentMetainfo metainfo) {
        this(metainfo.pieceCount(), metainfo.pieceLength(), metainfo.totalSize());
    }

    PieceTracker(int pieceCount, long pieceLength, long totalSize) {
        this.pieceCount = pieceCount;
        this.pieceLength = pieceLength;
        this.totalSize = totalSize;
        this.priority = new int[pieceCount];
        this.partial = new PartialPiece[pieceCount];
        Arrays.fill(priority, io.piecework.api.engine.Priority.NORMAL.level());
        recount();
    }

    int pieceCount() {
        return pieceCount;
    }

    long pieceSize(int piece) {
        return piece < pieceCount - 1 ? pieceLength : totalSize - pieceLength * (pieceCount - 1L);
    }

    int blocks(int piece) {
        return (int) ((pieceSize(piece) + BLOCK - 1) / BLOCK);
    }

    int blockLength(int piece, int block) {
        return (int) Math.min(BLOCK, pieceSize(piece) - (long) block * BLOCK);
    }

    boolean have(int piece) {
        return verified.contains(piece);
    }

    int verifiedCount() {
        return verified.getCardinality();
    }

    RoaringBitmap verified() {
        return verified;
    }

    int priority(int piece) {
        return priority[piece];
    }

    /** Sets a piece's priority; the byte totals follow, the block counts wait for {@link #recount}. */
    void priority(int piece, int level) {
        boolean was = priority[piece] > 0;
        priority[piece] = level;
        if (was != level > 0) {
            long bytes = level > 0 ? pieceSize(piece) : -pieceSize(piece);
            wantedBytes += bytes;
            if (verified.contains(piece)) {
                verifiedWantedBytes += bytes;
            }
        }
    }

    /** Recounts derived totals after priorities or completion changed wholesale. */
    void recount() {
        int free = 0;
        int missing = 0;
        long wanted = 0;
        long verifiedWanted = 0;
        for (int p = 0; p < pieceCount; p++) {
            if (priority[p] > 0) {
                wanted += pieceSize(p);
            }
            if (priority[p] == 0 || verified.contains(p)) {
                verifiedWanted += priority[p] > 0 ? pieceSize(p) : 0;
                continue;
            }
            missing++;
            PartialPiece pp = partial[p];
            if (pp == null) {
                free += blocks(p);
            } else {
                for (int b = 0; b < pp.blocks; b++) {
                    if (!pp.isReceived(b) && pp.inFlight[b] == 0) {
                        free++;
                    }
                }
            }
        }
        unrequested = free;
        wantedMissing = missing;
        wantedBytes = wanted;
        verifiedWantedBytes = verifiedWanted;
    }

    boolean partial(int piece) {
        return partial[piece] != null;
    }

    PartialPiece inProgress(int piece) {
        return partial[piece];
    }

    /** Pieces kept for reuse by the next piece started. */
    int spares() {
        return spare.size();
    }

    /** Whether a piece is worth requesting: wanted, not verified, not fully received. */
    boolean wanted(int piece) {
        if (priority[piece] == 0 || verified.contains(piece)) {
            return false;
        }
        PartialPiece pp = partial[piece];
        return pp == null || !pp.allReceived();
    }

    /** Every block of the piece has arrived (and none was dropped since): it can be written whole. */
    boolean allArrived(int piece) {
        PartialPiece pp = partial[piece];
        return pp != null && pp.allReceived();
    }

    /** Every wanted piece is verified. */
    boolean complete() {
        return wantedMissing == 0;
    }

    /** No wanted block is left that nobody was asked for. */
    boolean endgame() {
        return unrequested == 0 && wantedMissing > 0;
    }

    long wantedBytes() {
        return wantedBytes;
    }

    long verifiedWantedBytes() {
        return verifiedWantedBytes;
    }

    /**
     * Reserves up to {@code max} blocks of {@code piece} for a peer. A block qualifies when it
     * has not arrived and no request is out for it; in endgame also when requests are out to
     * other peers ({@code askedAlready} says which blocks this peer has been asked for).
     *
     * @return blocks reserved, written to {@code out} as block indices
     */
    int reserve(int piece, int max, BlockAsked askedAlready, int[] out) {
        if (!wanted(piece) || max <= 0) {
            return 0;
        }
        PartialPiece pp = start(piece);
        boolean endgame = endgame();
        int n = 0;
        for (int b = 0; b < pp.blocks && n < max && n < out.length; b++) {
            if (pp.isReceived(b)) {
                continue;
            }
            if (pp.inFlight[b] == 0) {
                unrequested--;
            } else if (!endgame || pp.inFlight[b] >= 2 || askedAlready.asked(piece, b)) {
                continue;
            }
            pp.inFlight[b]++;
            out[n++] = b;
        }
        return n;
    }

    /** A request for a block ended without the block (rejected, timed out, cancelled, peer gone). */
    void released(int piece, int block) {
        PartialPiece pp = partial[piece];
        if (pp == null || pp.inFlight[block] == 0) {
            return;
        }
        if (--pp.inFlight[block] == 0 && !pp.isReceived(block) && priority[piece] > 0) {
            unrequested++;
        }
    }

    /**
     * A requested block arrived from {@code peerId}.
     *
     * @return false for a block already received (an endgame duplicate), which is dropped
     */
    boolean arrived(int piece, int block, long peerId) {
        PartialPiece pp = partial[piece];
        if (pp == null || pp.isReceived(block)) {
            return false;
        }
        if (pp.inFlight[block] > 0) {
            pp.inFlight[block]--;
        } else {
            unrequested--;
        }
        pp.markReceived(block);
        pp.senders[block] = peerId;
        pp.addContributor(peerId);
        return true;
    }

    /** The piece hashed right: it is verified and its progress is recycled. */
    void verifiedPiece(int piece) {
        if (verified.checkedAdd(piece) && priority[piece] > 0) {
            wantedMissing--;
            verifiedWantedBytes += pieceSize(piece);
        }
        PartialPiece pp = partial[piece];
        if (pp != null) {
            partial[piece] = null;
            spare.push(pp);
        }
        if (wantedMissing == 0) {
            spare.clear(); // complete: an idle torrent keeps none for later
        }
    }

    /** The pieces found complete on disk (resume): exactly these, so a re-check's losses count as missing. */
    void alreadyVerified(RoaringBitmap pieces) {
        verified.clear();
        verified.or(pieces);
        recount();
    }

    /**
     * The piece hashed wrong: its blocks are wanted again.
     *
     * @return the peers that sent its blocks
     */
    long[] failed(int piece) {
        PartialPiece pp = partial[piece];
        if (pp == null) {
            return new long[0];
        }
        long[] blame = Arrays.copyOf(pp.contributors, pp.contributorCount);
        partial[piece] = null;
        spare.push(pp);
        if (priority[piece] > 0) {
            unrequested += blocks(piece);
        }
        return blame;
    }

    /**
     * The piece hashed wrong and v2 block hashes named the {@code bad} blocks: only they are
     * wanted again, the others stay received.
     *
     * @return the peers that sent the bad blocks (one entry per block)
     */
    long[] refetch(int piece, java.util.BitSet bad) {
        PartialPiece pp = partial[piece];
        if (pp == null) {
            return new long[0];
        }
        long[] senders = new long[bad.cardinality()];
        int n = 0;
        for (int b = bad.nextSetBit(0); b >= 0 && b < pp.blocks; b = bad.nextSetBit(b + 1)) {
            if (pp.isReceived(b)) {
                senders[n++] = pp.senders[b];
                pp.unmarkReceived(b);
                if (pp.inFlight[b] == 0 && priority[piece] > 0) {
                    unrequested++;
                }
            }
        }
        return Arrays.copyOf(senders, n);
    }

    private PartialPiece start(int piece) {
        PartialPiece pp = partial[piece];
        if (pp == null) {
            pp = spare.isEmpty() ? new PartialPiece() : spare.pop();
            pp.reset(piece, blocks(piece));
            partial[piece] = pp;
        }
        return pp;
    }

    /** Tells whether a peer has a request out for a block already. */
    @FunctionalInterface
    interface BlockAsked {
        boolean asked(int piece, int block);
    }
}
