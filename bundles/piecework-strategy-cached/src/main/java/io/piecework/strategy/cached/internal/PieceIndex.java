package io.piecework.strategy.cached.internal;

import io.piecework.api.strategy.PeerView;
import io.piecework.api.strategy.PieceOrder;
import io.piecework.api.strategy.TorrentView;
import java.util.Arrays;
import java.util.List;

/**
 * The wanted pieces of one torrent kept sorted in {@link PieceOrder}, updated by the engine's
 * events instead of recomputed, plus the availability counts the order needs. Every method
 * must be called with the torrent's lock held.
 *
 * <p><b>Layout.</b> {@code order[0..size)} holds the wanted pieces (not had, priority above 0)
 * sorted; {@code pos[piece]} is a piece's place in it (-1 when not wanted). A piece's sort key
 * is one long, {@code (MAX - priority) << 32 | notPartial << 31 | availability}, then its
 * tie-break rank, a permutation of the pieces by {@link PieceOrder#tieBreak} and index computed
 * once. A change of one piece's key moves it by shifting its neighbours, so a have costs the
 * number of pieces it passes (about one availability group), never an allocation. Bulk changes
 * (a bitfield, a peer gone with many pieces, new priorities) re-sort with a merge sort that
 * skips runs already in order, into a scratch array kept for that.
 *
 * <p><b>Availability</b> is counted from per-peer copies of what this index has counted
 * ({@link CountedPieces}), so it is exact whatever order the peers' events come in.
 *
 * <p><b>Partial</b> has no event, so it is kept exact this way. A piece becomes partial only
 * inside {@link TorrentView#request} (its first block is reserved), and only the picker calls
 * it, so after each call {@link #fill} re-reads {@code partial} for that piece if it was not
 * partial. A partial piece stops being partial when verified or failed (events, re-read), or,
 * in engines that forget a piece whose requests were all dropped with nothing received
 * (timeout, reject, choke, peer gone: no event), at any time; so {@link #prepare} re-reads
 * {@code partial} for the pieces cached as partial (a few dozen, one per pipeline or so)
 * before each walk. (Piecework's engine keeps a piece partial until verified or failed; the
 * re-read then moves nothing.) Nothing else changes {@code partial}, so after {@code prepare}
 * the order equals the recomputed one: the exactness test compares them after every event of
 * a long random run whose simulated torrent does forget dropped pieces.
 * The caches are built lazily from the views on the first call (under the lock), so a new
 * picker swapped in while torrents run starts exact.
 *
 * <p><b>Dormant.</b> When no piece is wanted (the torrent is complete, or the rest is skipped)
 * the index lets go of every array and ignores the peers' events: a seeding torrent costs no
 * memory and its haves cost nothing. Only a failed piece or new priorities can make a piece
 * wanted again; they wake it and it rebuilds from the views, exact as a new picker.
 */
public final class PieceIndex {
    private static final long NOT_PARTIAL = 1L << 31;
    /** Above this many changed pieces a bulk change re-sorts instead of moving each piece. */
    private static final int MOVE_LIMIT = 64;

    private final TorrentView torrent;
    private int pieceCount = -1;
    private int[] availability;
    private long[] key;
    private int[] rank;
    private int[] order;
    private int[] scratch;
    private int[] pos;
    private int size;
    // Dense set of the pieces cached as partial, for reconcile.
    private int[] partials;
    private int[] partialPos;
    private int partialCount;
    // What availability counts per peer, by connection id.
    private final CountedPieces counted = new CountedPieces();
    // Batch sharing: the first `head` places of the order had no block left to request.
    private boolean sharing;
    private int head;
    private boolean dormant;

    public PieceIndex(TorrentView torrent) {
        this.torrent = torrent;
    }

    // ---- engine events -------------------------------------------------------------------

    public void peerHas(PeerView peer, int piece) {
        if (dormant || rebuilt()) {
            return;
        }
        long[] bits = counted.of(peer.id(), pieceCount);
        if (!CountedPieces.has(bits, piece)) {
            CountedPieces.flip(bits, piece);
            changeAvailability(piece, 1);
            move(piece);
        }
    }

    public void peerPiecesReset(PeerView peer) {
        if (dormant || rebuilt()) {
            return;
        }
        long[] bits = counted.of(peer.id(), pieceCount);
        int changed = 0;
        for (int p = 0; p < pieceCount; p++) {
            if (peer.has(p) != CountedPieces.has(bits, p)) {
                changed++;
            }
        }
        boolean bulk = changed > MOVE_LIMIT;
        for (int p = 0; p < pieceCount && changed > 0; p++) {
            boolean now = peer.has(p);
            if (now != CountedPieces.has(bits, p)) {
                CountedPieces.flip(bits, p);
                changeAvailability(p, now ? 1 : -1);
                if (!bulk) {
                    move(p);
                }
            }
        }
        if (bulk) {
            sort();
        }
    }

    public void peerGone(PeerView peer) {
        if (dormant || rebuilt()) {
            return;
        }
        long[] bits = counted.remove(peer.id());
        if (bits == null) {
            return;
        }
        int changed = 0;
        for (long word : bits) {
            changed += Long.bitCount(word);
        }
        boolean bulk = changed > MOVE_LIMIT;
        for (int w = 0; w < bits.length; w++) {
            for (long word = bits[w]; word != 0; word &= word - 1) {
                int p = (w << 6) + Long.numberOfTrailingZeros(word);
                changeAvailability(p, -1);
                if (!bulk) {
                    move(p);
                }
            }
        }
        if (bulk) {
            sort();
        }
    }

    public void pieceVerified(int piece) {
        if (dormant || rebuilt()) {
            return;
        }
        removePartial(piece);
        remove(piece);
        if (size == 0) {
            sleep();
        }
    }

    public void pieceFailed(int piece) {
        if (wake() || rebuilt()) {
            return;
        }
        refreshPartial(piece);
    }

    public void prioritiesChanged() {
        if (wake() || rebuilt()) {
            return;
        }
        rebuildOrder();
    }

    /** Whether the index holds no caches because nothing is wanted (tests, diagnostics). */
    public boolean dormant() {
        return dormant;
    }

    // ---- request walks -------------------------------------------------------------------

    /** Builds the caches from the views if needed, and re-reads the partial pieces' state. */
    public void prepare() {
        if (!dormant && !rebuilt()) {
            for (int i = partialCount - 1; i >= 0; i--) {
                int p = partials[i];
                if (!torrent.partial(p)) {
                    removePartial(p);
                    setKey(p, false);
                    move(p);
                }
            }
        }
    }

    /**
     * Starts or ends a batch of fills in which later peers skip the leading pieces earlier
     * ones found exhausted; the same requests as separate walks, with the skipped prefix paid
     * once per batch. Only valid while nothing but {@link #fill} changes the torrent.
     */
    public void sharePrefix(boolean on) {
        sharing = on;
        head = 0;
    }

    /**
     * Requests blocks for {@code peer} up to its pipeline target, walking the order from the
     * top (or the shared prefix's end): exactly what a walk of the recomputed order does.
     *
     * @return blocks requested
     */
    public int fill(PeerView peer) {
        int budget = peer.pipelineTarget() - peer.inFlight();
        if (budget <= 0 || peer.choking() || dormant) {
            return 0;
        }
        // In endgame a piece exhausted for one peer still has blocks for another.
        boolean shared = sharing && !torrent.endgame();
        int total = 0;
        for (int i = shared ? head : 0; i < size && budget > 0; i++) {
            int piece = order[i];
            if (!peer.has(piece)) {
                continue;
            }
            int n = torrent.request(peer, piece, budget);
            // The engine grants min(asked, free blocks): fewer than asked means none are left,
            // unless the peer closed meanwhile (its target drops to 0 and requests get 0).
            boolean exhausted = n < budget;
            if (exhausted && shared && n == 0 && peer.pipelineTarget() <= 0) {
                break;
            }
            budget -= n;
            total += n;
            int at = i;
            // Checked whether or not blocks were granted: whatever makes a piece partial, it
            // happens inside request.
            if ((key[piece] & NOT_PARTIAL) != 0 && torrent.partial(piece)) {
                addPartial(piece);
                setKey(piece, true);
                // Moves towards the front only: places after i keep their pieces.
                at = move(piece);
            }
            if (shared) {
                if (at < head) {
                    // Moved into the prefix: the prefix grows by it, or ends before it.
                    head = exhausted ? head + 1 : at;
                } else if (at == head && exhausted) {
                    head++;
                }
            }
        }
        return total;
    }

    /** The wanted pieces in order, as a new array (for tests and diagnostics). */
    public int[] order() {
        prepare();
        return dormant ? new int[0] : Arrays.copyOf(order, size);
    }

    /** Availability of {@code piece} as counted here. */
    public int availability(int piece) {
        wake();
        prepare();
        return availability[piece];
    }

    // ---- building ------------------------------------------------------------------------

    /** Builds from the views when not built yet (or the piece count changed); true if it did. */
    private boolean rebuilt() {
        int n = torrent.pieceCount();
        if (n == pieceCount) {
            return false;
        }
        pieceCount = n;
        availability = new int[n];
        key = new long[n];
        order = new int[n];
        scratch = new int[n];
        pos = new int[n];
        partials = new int[n];
        partialPos = new int[n];
        rank = ranks(torrent.tieBreakSeed(), n);
        counted.clear();
        List<? extends PeerView> peers = torrent.peers();
        for (PeerView peer : peers) {
            long[] bits = counted.of(peer.id(), n);
            for (int p = 0; p < n; p++) {
                if (peer.has(p)) {
                    CountedPieces.flip(bits, p);
                    availability[p]++;
                }
            }
        }
        rebuildOrder();
        return true;
    }

    private void rebuildOrder() {
        size = 0;
        partialCount = 0;
        for (int p = 0; p < pieceCount; p++) {
            pos[p] = -1;
            if (!torrent.have(p) && torrent.priority(p) > 0) {
                order[size++] = p;
                boolean partial = torrent.partial(p);
                if (partial) {
                    addPartial(p);
                }
                setKey(p, partial);
            }
        }
        sort();
        if (size == 0) {
            sleep();
        }
    }

    /** Nothing is wanted: drops every cache until {@link #wake}. */
    private void sleep() {
        dormant = true;
        pieceCount = -1;
        availability = null;
        key = null;
        rank = null;
        order = null;
        scratch = null;
        pos = null;
        partials = null;
        partialPos = null;
        partialCount = 0;
        size = 0;
        counted.clear();
    }

    /** Leaves the dormant state; true if it was dormant (the caches rebuild from the views on next use). */
    private boolean wake() {
        if (!dormant) {
            return false;
        }
        dormant = false;
        return true;
    }

    private static int[] ranks(long seed, int n) {
        Integer[] byTieBreak = new Integer[n];
        for (int p = 0; p < n; p++) {
            byTieBreak[p] = p;
        }
        Arrays.sort(byTieBreak, (a, b) -> PieceOrder.compareRest(seed, 0, 0, a, b));
        int[] rank = new int[n];
        for (int r = 0; r < n; r++) {
            rank[byTieBreak[r]] = r;
        }
        return rank;
    }

    // ---- the sorted array ----------------------------------------------------------------

    private void setKey(int piece, boolean partial) {
        long priority = Integer.MAX_VALUE - (long) torrent.priority(piece);
        key[piece] = priority << 32 | (partial ? 0 : NOT_PARTIAL) | availability[piece];
    }

    private void changeAvailability(int piece, int delta) {
        availability[piece] += delta;
        key[piece] += delta;
    }

    private boolean before(int a, int b) {
        return key[a] < key[b] || key[a] == key[b] && rank[a] < rank[b];
    }

    /** Moves a wanted piece whose key changed to its place; returns the place. */
    private int move(int piece) {
        int i = pos[piece];
        if (i < 0) {
            return -1;
        }
        while (i > 0 && before(piece, order[i - 1])) {
            order[i] = order[i - 1];
            pos[order[i]] = i;
            i--;
        }
        while (i < size - 1 && before(order[i + 1], piece)) {
            order[i] = order[i + 1];
            pos[order[i]] = i;
            i++;
        }
        order[i] = piece;
        pos[piece] = i;
        return i;
    }

    private void remove(int piece) {
        int i = pos[piece];
        if (i < 0) {
            return;
        }
        size--;
        System.arraycopy(order, i + 1, order, i, size - i);
        for (int j = i; j < size; j++) {
            pos[order[j]] = j;
        }
        pos[piece] = -1;
    }

    /** Bottom-up merge sort of the order; runs already in order are copied, not merged. */
    private void sort() {
        int[] a = order;
        int[] b = scratch;
        for (int width = 1; width < size; width <<= 1) {
            for (int lo = 0; lo < size; lo += width << 1) {
                int mid = Math.min(lo + width, size);
                int hi = Math.min(lo + (width << 1), size);
                if (mid >= hi || !before(a[mid], a[mid - 1])) {
                    System.arraycopy(a, lo, b, lo, hi - lo);
                    continue;
                }
                int i = lo;
                int j = mid;
                for (int k = lo; k < hi; k++) {
                    b[k] = j >= hi || i < mid && !before(a[j], a[i]) ? a[i++] : a[j++];
                }
            }
            int[] t = a;
            a = b;
            b = t;
        }
        order = a;
        scratch = b;
        for (int i = 0; i < size; i++) {
            pos[order[i]] = i;
        }
    }

    // ---- partial pieces ------------------------------------------------------------------

    private void refreshPartial(int piece) {
        if (pos[piece] < 0) {
            return;
        }
        boolean partial = torrent.partial(piece);
        if (partial == ((key[piece] & NOT_PARTIAL) == 0)) {
            return;
        }
        if (partial) {
            addPartial(piece);
        } else {
            removePartial(piece);
        }
        setKey(piece, partial);
        move(piece);
    }

    private void addPartial(int piece) {
        partialPos[piece] = partialCount;
        partials[partialCount++] = piece;
    }

    private void removePartial(int piece) {
        if (pos[piece] < 0 || (key[piece] & NOT_PARTIAL) != 0) {
            return;
        }
        int i = partialPos[piece];
        int last = partials[--partialCount];
        partials[i] = last;
        partialPos[last] = i;
    }
}
