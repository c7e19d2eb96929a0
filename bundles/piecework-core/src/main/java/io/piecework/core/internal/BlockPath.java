package io.piecework.core.internal;

import io.piecework.api.engine.TorrentEvent;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.storage.TorrentStorage;
import io.piecework.api.strategy.PeerView;
import io.piecework.api.strategy.Picker;
import io.piecework.api.strategy.TorrentView;
import io.piecework.api.strategy.UpdateReason;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flow of one block through a torrent, in one place: the strategy asks a peer for it
 * ({@link #request}), it arrives ({@link #blockArrived}), goes to disk ({@link #write}), its piece
 * is hashed ({@link #verified}) and announced to every peer with a have. Owns the piece
 * bookkeeping ({@link PieceTracker}), the peers' {@link PendingRequests} and the {@link Writes}
 * on their way to disk, and is the {@link TorrentView} strategies read. State changes under the
 * torrent's lock; messages go through its {@link Outbox}; disk work runs on the engine's pool.
 */
final class BlockPath implements TorrentView {
    private static final Logger LOG = LoggerFactory.getLogger(BlockPath.class);
    static final int BAN_TRUST = -8;

    private final Torrent torrent;
    final PieceTracker tracker;
    private final InstrumentedLock lock;
    private final Outbox outbox;
    final Writes writes;
    /** The verified pieces again, readable without the lock by the upload path. */
    private final AtomicLongArray haveBits;
    /**
     * Blocks of each piece on disk, counted lock-free by the disk pool: a piece's blocks are all
     * written before it is hashed, and only a hash failure (under the lock) starts it over.
     */
    private final AtomicIntegerArray written;
    /** Written blocks of pieces not yet hashed, hashed from memory once the piece is whole. */
    final HeldBlocks held;
    /**
     * One request's blocks: at most a piece's, so sized by the piece (16 ints for 256 KiB
     * pieces), not by the longest pipeline (4 KiB at every torrent).
     */
    private final int[] reserved;
    private final long seed;
    final AtomicInteger hashFailures = new AtomicInteger();
    /** Under the lock: the senders' trust, and who was banned for bad data. */
    private final Trust trust;
    /** Time the strategy spent deciding requests: a request update's cost, over time in the UI. */
    final LongAdder updateNanos = new LongAdder();
    private volatile long verifiedBytes;
    private volatile long wantedBytes;

    BlockPath(Torrent torrent) {
        this.torrent = torrent;
        this.trust = new Trust(torrent);
        this.tracker = new PieceTracker(torrent.metainfo);
        this.lock = torrent.lock;
        this.outbox = lock.outbox;
        this.writes = new Writes(this, torrent.engine.disk());
        this.haveBits = new AtomicLongArray((tracker.pieceCount() + 63) >>> 6);
        this.written = new AtomicIntegerArray(tracker.pieceCount());
        this.held = new HeldBlocks(torrent.engine.buffers());
        this.reserved = new int[Math.min(PeerSession.MAX_PIPELINE, tracker.pieceCount() == 0 ? 0 : tracker.blocks(0))];
        this.seed = torrent.engine.random().nextLong();
        this.wantedBytes = tracker.wantedBytes();
    }

    // --- TorrentView, called by strategies under the lock ---

    @Override
    public InstrumentedLock lock() {
        return lock;
    }

    @Override
    public int pieceCount() {
        return tracker.pieceCount();
    }

    @Override
    public boolean have(int piece) {
        return tracker.have(piece);
    }

    @Override
    public int priority(int piece) {
        return tracker.priority(piece);
    }

    @Override
    public boolean partial(int piece) {
        return tracker.partial(piece);
    }

    @Override
    public boolean endgame() {
        return tracker.endgame();
    }

    @Override
    public List<? extends PeerView> peers() {
        return torrent.swarm.view;
    }

    @Override
    public long tieBreakSeed() {
        return seed;
    }

    @Override
    public int request(PeerView peer, int piece, int max) {
        PeerSession p = (PeerSession) peer;
        if (p.closed || !p.has(piece) || p.rejects.paused(System.nanoTime())) {
            return 0;
        }
        max = Math.min(max, p.pipelineTarget() - p.inFlight());
        if (max <= 0) {
            return 0;
        }
        int n = tracker.reserve(piece, Math.min(max, reserved.length), p.pending, reserved);
        long now = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int block = reserved[i];
            p.pending.add(piece, block, now);
            outbox.request(p.connection, piece, block * PieceTracker.BLOCK, tracker.blockLength(piece, block));
        }
        return n;
    }

    /** Under the lock: the strategy's request update (its own lock() re-enters ours). */
    Runnable update(PeerSession p, int reasons) {
        Picker current = torrent.picker; // read again: swapped or stopped since it was asked for
        if (current != null && !p.closed) {
            long start = System.nanoTime();
            current.requestUpdate(p, reasons);
            updateNanos.add(System.nanoTime() - start);
        }
        return null;
    }

    // --- a block arrives, is written, its piece hashed and announced ---

    ByteBuffer blockBuffer(int length) {
        return torrent.engine.buffers().acquire(length);
    }

    /**
     * On the peer's event loop: books the block under the lock (or has the lock's holder book
     * it, so the event loop never waits), then hands it to the disk pool.
     */
    void blockArrived(PeerSession p, int piece, int begin, ByteBuffer block) {
        lock.submit(() -> book(p, piece, begin, block));
    }

    /** Under the lock: books the block and refills the peer's pipeline; returns its way to disk. */
    private Runnable book(PeerSession p, int piece, int begin, ByteBuffer block) {
        int length = block.remaining();
        int blockIndex = begin / PieceTracker.BLOCK;
        TorrentStorage target = null;
        boolean whole = false; // the piece's last block to arrive: its blocks go to the disk now
        p.lastBlockAt = System.nanoTime();
        p.blockReceived();
        p.rejects.served();
        p.downloaded(length);
        torrent.downloaded.add(length);
        boolean valid = begin % PieceTracker.BLOCK == 0 && piece < tracker.pieceCount()
                && blockIndex < tracker.blocks(piece) && length == tracker.blockLength(piece, blockIndex);
        if (valid) {
            p.pending.remove(piece, blockIndex);
            // Read once, under the lock: a stop after unlocking must not leave us a null target.
            TorrentStorage storage = torrent.storage;
            target = storage != null && tracker.arrived(piece, blockIndex, p.id) ? storage : null;
            whole = target != null && tracker.allArrived(piece);
            if (target != null && tracker.endgame()) {
                cancelDuplicates(p, piece, blockIndex);
            }
        }
        if (p.pending.size() <= p.pipelineTarget * 3 / 4) {
            // In the same acquisition: the strategy's own lock() is re-entered, not taken again.
            torrent.requestUpdate(p, PeerSession.dryOr(UpdateReason.BLOCK_RECEIVED, p));
        }
        if (target == null) {
            return () -> torrent.engine.buffers().release(block);
        }
        TorrentStorage to = target;
        boolean last = whole;
        return () -> writes.write(to, piece, blockIndex, block, last);
    }

    private void cancelDuplicates(PeerSession from, int piece, int block) {
        for (PeerSession other : torrent.swarm.peers) {
            if (other != from && other.pending.remove(piece, block)) {
                tracker.released(piece, block);
                outbox.cancel(other.connection, piece, block * PieceTracker.BLOCK, tracker.blockLength(piece, block));
            }
        }
    }

    /** On the disk pool: writes a received block, then has the piece hashed once all of it is written. */
    void write(TorrentStorage target, int piece, int block, ByteBuffer data) {
        write(target, piece, block, new ByteBuffer[] {data}, 0, 1);
    }

    /**
     * On the disk pool: writes a run of adjacent received blocks of a piece, {@code run[at]} the
     * piece's block {@code first}, in one call, then has the piece hashed once all of it is written.
     */
    void write(TorrentStorage target, int piece, int first, ByteBuffer[] run, int at, int count) {
        int[] positions = new int[count];
        for (int i = 0; i < count; i++) {
            positions[i] = run[at + i].position();
        }
        try {
            target.write(piece, first * PieceTracker.BLOCK, run, at, count);
        } catch (Exception e) {
            for (int i = 0; i < count; i++) {
                torrent.engine.buffers().release(run[at + i]);
            }
            if (torrent.storage != target) {
                // Stopped (and maybe started again) meanwhile: the closed storage refused it, no error of ours.
                LOG.debug("{}: write of piece {} dropped, the torrent stopped", torrent, piece);
                return;
            }
            torrent.fail("cannot write piece " + piece + ": " + Engine.message(e));
            return;
        }
        for (int i = 0; i < count; i++) {
            held.keep(piece, tracker.blocks(piece), first + i, run[at + i].position(positions[i]));
        }
        if (torrent.storage != target) {
            held.dropAll(); // a stop came between the write and the keep: its own drop may have missed them
        }
        if (written.addAndGet(piece, count) == tracker.blocks(piece)) {
            ByteBuffer[] blocks = held.take(piece);
            target.verify(piece, blocks).whenComplete((ok, failure) -> {
                held.release(blocks);
                verified(target, piece, ok, failure);
            });
        }
    }

    /**
     * The piece's hash was checked: announce it to everyone, or ask for it again and blame its
     * senders. On the hashing thread, which hands this to the lock's holder rather than wait.
     */
    void verified(TorrentStorage target, int piece, Boolean ok, Throwable failure) {
        if (failure != null) {
            if (torrent.storage == target) { // else stopped meanwhile: the closed storage refused it
                torrent.fail("cannot verify piece " + piece + ": " + Engine.message(failure));
            }
            return;
        }
        boolean good = Boolean.TRUE.equals(ok);
        lock.submit(() -> good ? verifiedGood(piece) : verifiedBad(piece));
    }

    /** Under the lock: the piece is ours; returns the event and completion for after unlocking. */
    private Runnable verifiedGood(int piece) {
        if (torrent.storage == null) {
            return null;
        }
        if (tracker.have(piece)) {
            return () -> torrent.engine.emit(torrent.event(TorrentEvent.Kind.PIECE_VERIFIED, piece, ""));
        }
        List<PeerSession> banned = new ArrayList<>();
        tracker.verifiedPiece(piece);
        setHave(piece);
        trust.adjust(contributors(piece), 1, banned);
        Picker current = torrent.picker;
        if (current != null) {
            current.pieceVerified(piece);
        }
        List<PeerSession> peers = torrent.swarm.peers;
        for (PeerSession p : peers) {
            outbox.have(p.connection, piece);
        }
        torrent.swarm.pieceVerified(piece);
        refreshByteCounts();
        boolean complete = tracker.complete() && torrent.state == TorrentState.DOWNLOADING;
        if (complete) {
            torrent.state = TorrentState.SEEDING;
            peers.forEach(torrent.swarm::refreshInterest);
        }
        return () -> {
            ban(banned);
            torrent.engine.emit(torrent.event(TorrentEvent.Kind.PIECE_VERIFIED, piece, ""));
            if (complete) {
                torrent.completed();
            }
        };
    }

    /** Under the lock: a piece hashed wrong; v2 block hashes may name its bad blocks, else it starts over. */
    private Runnable verifiedBad(int piece) {
        if (torrent.storage == null) {
            return null;
        }
        hashFailures.incrementAndGet();
        Runnable byBlock = torrent.blame.pieceFailed(piece);
        if (byBlock != null) {
            LOG.info("{}: piece {} failed verification; asking for its block hashes to find the bad block", torrent,
                    piece);
            return byBlock;
        }
        return failWhole(piece);
    }

    /** Under the lock: the piece starts over, its senders are blamed, every peer may ask again. */
    Runnable failWhole(int piece) {
        if (torrent.storage == null) {
            return null;
        }
        List<PeerSession> banned = new ArrayList<>();
        long[] contributors = contributors(piece);
        tracker.failed(piece);
        written.set(piece, 0);
        // A sender already banned for bad data explains the piece: the others that shared it
        // keep their trust (two web seeds, one corrupting, share many pieces; its pieces still
        // being hashed after its ban cost the honest one its trust and then the download).
        if (!trust.anyBanned(contributors)) {
            trust.adjust(contributors, contributors.length == 1 ? -4 : -2, banned);
        }
        Picker current = torrent.picker;
        if (current != null) {
            current.pieceFailed(piece);
        }
        LOG.info("{}: piece {} failed verification (sent by {} peer(s))", torrent, piece, contributors.length);
        for (PeerSession p : new ArrayList<>(torrent.swarm.peers)) {
            torrent.requestUpdate(p, PeerSession.dryOr(UpdateReason.PIECE_FAILED, p));
        }
        return () -> ban(banned);
    }

    /**
     * Under the lock: proven block hashes named the {@code bad} blocks of a failed piece. Their
     * senders are banned on that evidence alone, the senders of good blocks keep their trust,
     * and only the bad blocks are asked for again.
     */
    Runnable refetchBlocks(int piece, java.util.BitSet bad) {
        if (torrent.storage == null) {
            return null;
        }
        long[] senders = tracker.refetch(piece, bad);
        written.addAndGet(piece, -senders.length);
        List<PeerSession> banned = new ArrayList<>();
        for (long id : senders) {
            for (PeerSession p : torrent.swarm.peers) {
                if (p.id == id && !banned.contains(p)) {
                    p.trust = Math.min(p.trust, BAN_TRUST);
                    banned.add(p);
                    trust.banned(id);
                }
            }
        }
        Picker current = torrent.picker;
        if (current != null) {
            current.pieceFailed(piece);
        }
        LOG.info("{}: piece {}: block(s) {} failed their v2 block hashes, sent by {}; asking for them again", torrent,
                piece, bad, banned);
        for (PeerSession p : new ArrayList<>(torrent.swarm.peers)) {
            torrent.requestUpdate(p, PeerSession.dryOr(UpdateReason.PIECE_FAILED, p));
        }
        return () -> ban(banned);
    }

    private long[] contributors(int piece) {
        PartialPiece pp = tracker.inProgress(piece);
        return pp == null ? new long[0] : Arrays.copyOf(pp.contributors, pp.contributorCount);
    }

    private void ban(List<PeerSession> banned) {
        for (PeerSession p : banned) {
            torrent.connector.ban(p.connection.remoteAddress());
            p.connection.close("sent data that failed verification");
        }
    }

    // --- requests that end without their block ---

    void requestRejected(PeerSession p, int piece, int begin) {
        lock.submit(() -> rejected(p, piece, begin));
    }

    /** Under the lock: the block is free again; a peer that rejects everything is dropped after unlocking. */
    private Runnable rejected(PeerSession p, int piece, int begin) {
        int block = begin / PieceTracker.BLOCK;
        boolean giveUp = false;
        if (p.pending.remove(piece, block)) {
            tracker.released(piece, block);
            // A choking peer rejects what we had asked (BEP 6); only rejects while unchoked count.
            giveUp = !p.peerChoking && p.rejected(System.nanoTime());
        }
        if (!giveUp) {
            torrent.requestUpdate(p, PeerSession.dryOr(UpdateReason.REJECTED, p));
            return null;
        }
        return () -> {
            LOG.info("{}: peer {} rejected {} requests and sent nothing, dropping it", torrent, p, p.rejects.rejects());
            torrent.connector.ban(p.connection.remoteAddress());
            p.connection.close("rejects every request");
        };
    }

    /** Every request out to the peer is free again (choked without BEP 6, or gone). Under the lock. */
    void releaseAll(PeerSession p) {
        for (int i = 0; i < p.pending.size(); i++) {
            tracker.released(p.pending.piece(i), p.pending.block(i));
        }
        p.pending.clear();
    }

    /** Cancels the peer's requests older than the timeout; under the lock. @return whether any were */
    boolean expireRequests(PeerSession p, long now) {
        boolean expired = false;
        for (int i = p.pending.size() - 1; i >= 0; i--) {
            if (now - p.pending.sentAt(i) > Torrent.REQUEST_TIMEOUT_NANOS) {
                int piece = p.pending.piece(i);
                int block = p.pending.block(i);
                tracker.released(piece, block);
                outbox.cancel(p.connection, piece, block * PieceTracker.BLOCK, tracker.blockLength(piece, block));
                p.pending.removeAt(i);
                expired = true;
            }
        }
        return expired;
    }

    // --- what we have ---

    /** Pieces found complete on disk when the storage opened (all of them: Recheck may have lost some); under the lock. */
    void onDisk(RoaringBitmap done) {
        tracker.alreadyVerified(done);
        for (int i = 0; i < haveBits.length(); i++) {
            haveBits.set(i, 0);
        }
        for (int piece : done) {
            setHave(piece);
        }
        refreshByteCounts();
    }

    private void setHave(int piece) {
        haveBits.getAndUpdate(piece >>> 6, w -> w | (1L << piece));
    }

    /** Lock-free: whether we have a verified piece, for the upload path. */
    boolean hasVerified(int piece) {
        return (haveBits.get(piece >>> 6) & (1L << piece)) != 0;
    }

    /** Lock-free count of verified pieces, for the snapshot. */
    int verifiedCount() {
        int verified = 0;
        for (int i = 0; i < haveBits.length(); i++) {
            verified += Long.bitCount(haveBits.get(i));
        }
        return verified;
    }

    /** Takes the tracker's running byte totals for readers without the lock; under the lock. */
    void refreshByteCounts() {
        verifiedBytes = tracker.verifiedWantedBytes();
        wantedBytes = tracker.wantedBytes();
    }

    long wantedBytes() {
        return wantedBytes;
    }

    long verifiedBytes() {
        return verifiedBytes;
    }
}
