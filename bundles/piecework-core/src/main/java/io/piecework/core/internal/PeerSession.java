package io.piecework.core.internal;

import io.piecework.api.strategy.PeerView;
import io.piecework.api.strategy.UpdateReason;
import io.piecework.wire.ExtendedHandshake;
import io.piecework.wire.Extensions;
import io.piecework.wire.HashRequest;
import io.piecework.wire.HashesMessage;
import io.piecework.wire.MetadataMessage;
import io.piecework.wire.PexMessage;
import io.piecework.transport.PeerConnection;
import io.piecework.transport.PeerHandler;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashSet;
import java.util.Set;
import org.roaringbitmap.RoaringBitmap;

/**
 * One connected peer of one torrent: what it has, the requests out to it, and both sides'
 * choke and interest flags. Its messages arrive on the connection's event loop; anything that
 * touches torrent state is done by the torrent's {@link Swarm} or {@link BlockPath} under its lock.
 */
final class PeerSession implements PeerHandler, PeerView, Choker.Candidate {
    static final int MIN_PIPELINE = 16;
    static final int DEFAULT_REQQ = 250;
    static final int MAX_PIPELINE = 1000;
    private static final VarHandle UPLOAD_QUEUE;

    static {
        try {
            UPLOAD_QUEUE = MethodHandles.lookup().findVarHandle(PeerSession.class, "uploadQueue", Uploads.Queue.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long id;
    final Torrent torrent;
    final PeerConnection connection;
    final PendingRequests pending = new PendingRequests();
    /**
     * Null until a block arrives, and again once a tick finds it quiet at rate zero: an idle
     * peer holds no meter (two were 1.9 KiB of an idle torrent's heap at 19 peers). Created,
     * folded and dropped under the torrent's lock (blocks are booked under it); read anywhere.
     */
    private volatile RateMeter download;
    /** Null until a block is sent; made by the disk threads, so set once and kept. */
    private volatile RateMeter upload;

    // Guarded by the torrent's lock.
    RoaringBitmap pieces = Swarm.NO_PIECES;
    boolean seed;
    boolean peerChoking = true;
    boolean peerInterested;
    volatile boolean amChoking = true;
    boolean amInterested;
    /**
     * Pieces it has that we want (priority above 0, not verified): kept as pieces come and go, so
     * our interest is judged without walking its pieces. Meaningless for a seed.
     */
    int wantedHeld;
    int unchokedRounds;
    int reqq = DEFAULT_REQQ;
    int pipelineTarget = MIN_PIPELINE * 2;
    /** Growing the pipeline by a block per block received, until the rate stops rising. */
    boolean slowStart = true;
    /** What {@link #blockReceived} adds: 1 in slow start, 0 after (ended with {@link #slowStart}). */
    private int slowStartStep = 1;
    private long lastRate;
    long lastBlockAt = System.nanoTime();
    int trust;
    /**
     * Requests waiting for the disk pool, at most {@link Torrent#MAX_QUEUED_UPLOADS}; null until
     * the peer's first request (most peers of an idle engine never ask), then set once by
     * compare-and-set, so any thread sees one queue and the block path takes no lock for it.
     */
    private volatile Uploads.Queue uploadQueue;
    volatile boolean closed;
    /** It connected to us (we did not dial it); set at admission, under the torrent's lock. */
    boolean incoming;
    /**
     * Listen addresses last told to this peer over ut_pex; guarded by the torrent's lock. Made
     * for a peer that speaks ut_pex, at the first exchange: most idle peers never need one.
     */
    private Set<InetSocketAddress> pexSent;
    /** BEP 11's pace for what this peer tells us; made at its first PEX message, used on its event loop only. */
    private Pex.Gate pexGate;
    /** Rejects of our requests, the shared {@link RejectBackoff#NONE} until the first; guarded by the torrent's lock. */
    RejectBackoff rejects = RejectBackoff.NONE;
    final long connectedAt = System.nanoTime();
    /** BEP 52 hash requests it may still make; made at its first, on its event loop (most peers never ask). */
    private HashAnswers.Budget hashBudget;
    /** When the peer last sent anything but a keep-alive: only that holds its place when others want in. */
    volatile long lastUsefulAt = connectedAt;

    PeerSession(long id, Torrent torrent, PeerConnection connection) {
        this.id = id;
        this.torrent = torrent;
        this.connection = connection;
    }

    /** The peer's upload queue, made at its first request. */
    Uploads.Queue uploadQueue() {
        Uploads.Queue q = uploadQueue;
        if (q == null) {
            q = new Uploads.Queue(torrent.uploads, this, Torrent.MAX_QUEUED_UPLOADS);
            if (!UPLOAD_QUEUE.compareAndSet(this, null, q)) {
                q = uploadQueue;
            }
        }
        return q;
    }

    /** The upload queue if the peer ever asked for a block, else null. */
    Uploads.Queue uploadQueueIfMade() {
        return uploadQueue;
    }

    /** Requests waiting for the disk pool (none if it never asked). */
    int queuedUploads() {
        Uploads.Queue q = uploadQueue;
        return q == null ? 0 : q.size();
    }

    /** {@link #pexGate}, made at the first PEX message; on the peer's event loop. */
    Pex.Gate pexGate() {
        if (pexGate == null) {
            pexGate = new Pex.Gate();
        }
        return pexGate;
    }

    /** A request rejected while unchoked (see {@link RejectBackoff#rejected}); under the torrent's lock. */
    boolean rejected(long now) {
        if (rejects == RejectBackoff.NONE) {
            rejects = new RejectBackoff();
        }
        return rejects.rejected(now);
    }

    /** {@link #pexSent}, made on first use; under the torrent's lock. */
    Set<InetSocketAddress> pexSent() {
        if (pexSent == null) {
            pexSent = new HashSet<>();
        }
        return pexSent;
    }

    // --- PeerView, read under the torrent lock by strategies ---

    @Override
    public long id() {
        return id;
    }

    @Override
    public boolean has(int piece) {
        return seed || pieces.contains(piece);
    }

    @Override
    public int piecesHeld() {
        return seed ? torrent.pieceCount() : pieces.getCardinality();
    }

    @Override
    public boolean choking() {
        return peerChoking;
    }

    @Override
    public int inFlight() {
        return pending.size();
    }

    @Override
    public int pipelineTarget() {
        return closed || !amInterested || rejects.paused(System.nanoTime()) ? 0 : rejects.pipeline(pipelineTarget);
    }

    // --- Choker.Candidate ---

    @Override
    public boolean peerInterested() {
        return peerInterested;
    }

    @Override
    public boolean snubbed() {
        return !peerChoking && amInterested
                && (rejects.backingOff() || System.nanoTime() - lastBlockAt > Torrent.SNUB_NANOS);
    }

    @Override
    public long downloadRate() {
        RateMeter m = download;
        return m == null ? 0 : m.rate();
    }

    long uploadRate() {
        RateMeter m = upload;
        return m == null ? 0 : m.rate();
    }

    /** Under the torrent's lock: a block of {@code bytes} arrived. */
    void downloaded(long bytes) {
        RateMeter m = download;
        if (m == null) {
            download = m = new RateMeter();
        }
        m.add(bytes);
    }

    /** On a disk thread: a block of {@code bytes} was sent. */
    void uploaded(long bytes) {
        RateMeter m = upload;
        if (m == null) {
            synchronized (this) {
                m = upload;
                if (m == null) {
                    upload = m = new RateMeter();
                }
            }
        }
        m.add(bytes);
    }

    /** Whether it holds a download or upload meter now (tests). */
    boolean holdsRateMeters() {
        return download != null || upload != null;
    }

    /**
     * Under the torrent's lock, on the timer's tick: folds both rates; drops a download meter that
     * nothing moved through and whose rate is zero.
     *
     * @return whether any byte moved since the last tick
     */
    boolean foldRates(long now) {
        boolean moved = false;
        RateMeter d = download;
        if (d != null) {
            moved = d.fold(now) != 0;
            if (!moved && d.rate(now) == 0) {
                download = null;
            }
        }
        RateMeter u = upload;
        return (u != null && u.fold(now) != 0) | moved;
    }

    @Override
    public int unchokedRounds() {
        return unchokedRounds;
    }

    /**
     * Sizes the pipeline to about two seconds of this peer's rate, within its reqq. Until the
     * rate stops rising (slow start) it only grows: a first second cut short by the unchoke
     * must not shrink a pipeline that {@link #blockReceived} has been widening.
     */
    void resizePipeline() {
        long rate = downloadRate();
        int byRate = (int) Math.max(MIN_PIPELINE, Math.min(pipelineCap(), rate * 2 / PieceTracker.BLOCK));
        if (slowStart) {
            // Judged from the second measured second on; over once the rate stops rising or
            // the pipeline already holds two seconds of it.
            if (lastRate > 0 && (rate <= lastRate || byRate <= pipelineTarget)) {
                endSlowStart();
            }
            lastRate = rate;
            pipelineTarget = slowStart ? Math.max(pipelineTarget, byRate) : byRate;
        } else {
            pipelineTarget = byRate;
        }
    }

    void endSlowStart() {
        slowStart = false;
        slowStartStep = 0;
    }

    /**
     * One block came in: in slow start the pipeline widens by one, so it doubles every round
     * trip (as TCP's window does) instead of waiting for the once-a-second resize.
     * Without a branch on purpose: the decoder's loop inlines this, and C2 compiles that loop
     * in slow start; a test of slowStart (or of the cap) that had never gone the other way
     * would throw the whole compiled loop away when slow start ends (an "unstable_if"
     * deoptimisation: about 0.4 s of the compiler and the decoder back in profiled code).
     */
    void blockReceived() {
        pipelineTarget = Math.max(pipelineTarget, Math.min(pipelineTarget + slowStartStep, pipelineCap()));
    }

    /**
     * One below the peer's reqq: Transmission 3.00 announces 512 and rejects the 512th queued
     * request, telling us only with its next batch about 10 s later (libtorrent and aria2 leave
     * headroom too).
     */
    private int pipelineCap() {
        return Math.max(1, Math.min(reqq - 1, MAX_PIPELINE));
    }

    // --- PeerHandler: the connection's event loop ---

    @Override
    public void onChoke() {
        useful();
        torrent.swarm.peerChoked(this);
    }

    @Override
    public void onUnchoke() {
        useful();
        torrent.swarm.peerUnchoked(this);
    }

    @Override
    public void onInterested() {
        useful();
        torrent.swarm.peerInterest(this, true);
    }

    @Override
    public void onNotInterested() {
        useful();
        torrent.swarm.peerInterest(this, false);
    }

    @Override
    public void onHave(int piece) {
        useful();
        torrent.swarm.peerHas(this, piece);
    }

    @Override
    public void onBitfield(RoaringBitmap bitfield) {
        useful();
        torrent.swarm.peerPieces(this, bitfield, false);
    }

    @Override
    public void onHaveAll() {
        useful();
        torrent.swarm.peerPieces(this, null, true);
    }

    @Override
    public void onHaveNone() {
        useful();
        torrent.swarm.peerPieces(this, Swarm.NO_PIECES, false);
    }

    @Override
    public void onRequest(int piece, int begin, int length) {
        useful();
        torrent.uploads.requested(this, piece, begin, length);
    }

    @Override
    public void onCancel(int piece, int begin, int length) {
        useful();
        // Uploads are served as soon as they are read; a cancel that arrives after that has
        // nothing left to stop, and one that arrives before costs one block at most.
    }

    @Override
    public ByteBuffer pieceDestination(int piece, int begin, int length) {
        return torrent.blocks.blockBuffer(length);
    }

    @Override
    public void onPiece(int piece, int begin, ByteBuffer block) {
        useful();
        torrent.blocks.blockArrived(this, piece, begin, block);
    }

    @Override
    public void onRejectRequest(int piece, int begin, int length) {
        useful();
        torrent.blocks.requestRejected(this, piece, begin);
    }

    @Override
    public void onPort(int port) {
        useful();
        torrent.engine.dhtPorts().learned(connection, port);
    }

    @Override
    public void onExtendedHandshake(ExtendedHandshake handshake) {
        useful();
        int theirs = handshake.reqq();
        if (theirs > 0) {
            reqq = theirs;
        }
    }

    @Override
    public void onMetadata(MetadataMessage message) {
        useful();
        metadataRequested(message);
    }

    @Override
    public void onPex(PexMessage message) {
        // Useful only if read: a flood of dropped messages must not make the flooder look busy.
        torrent.pex.received(this, message);
    }

    @Override
    public void onHashRequest(HashRequest request) {
        useful();
        if (hashBudget == null) {
            hashBudget = new HashAnswers.Budget();
        }
        torrent.blame.answers.requested(connection, hashBudget, request, System.nanoTime());
    }

    @Override
    public void onHashes(HashesMessage hashes) {
        useful();
        torrent.blame.hashesArrived(this, hashes);
    }

    @Override
    public void onHashReject(HashRequest request) {
        useful();
        torrent.blame.rejected(request);
    }

    /** Anything but a keep-alive: the peer is still taking part. */
    void useful() {
        lastUsefulAt = System.nanoTime();
    }

    /** A peer asks for a piece of the info dictionary (BEP 9): served from memory, on the event loop. */
    private void metadataRequested(MetadataMessage message) {
        if (message.type() != MetadataMessage.REQUEST) {
            return;
        }
        byte[] info = torrent.info;
        int piece = message.piece();
        if (piece >= MetadataMessage.pieceCount(info.length) || !connection.isWritable()) {
            // Out of range, or the peer is not taking what we send: reject rather than queue 16 KiB.
            connection.metadata(MetadataMessage.reject(piece));
            return;
        }
        int from = piece * MetadataMessage.PIECE_LENGTH;
        int length = Math.min(MetadataMessage.PIECE_LENGTH, info.length - from);
        connection.metadata(MetadataMessage.data(piece, info.length, ByteBuffer.wrap(info, from, length)));
    }

    boolean supportsPex() {
        ExtendedHandshake h = connection.remoteExtendedHandshake();
        return h != null && h.idOf(Extensions.UT_PEX) != 0;
    }

    /**
     * Where others can reach this peer: its address with the port from its extended handshake,
     * or the address we dialled; null for an incoming peer that did not say.
     */
    InetSocketAddress listenAddress(java.util.function.Predicate<InetSocketAddress> dialled) {
        InetSocketAddress remote = connection.remoteAddress();
        ExtendedHandshake h = connection.remoteExtendedHandshake();
        if (h != null && h.p() > 0) {
            return new InetSocketAddress(remote.getAddress(), h.p());
        }
        return dialled.test(remote) ? remote : null;
    }

    @Override
    public void onWritabilityChanged(boolean writable) {
        // Uploads check writability before each read; nothing is queued here.
    }

    @Override
    public void onClosed(String reason) {
        closed = true;
        torrent.swarm.peerClosed(this, reason);
    }

    void update(int reasons) {
        torrent.requestUpdate(this, reasons);
    }

    static int dryOr(int reasons, PeerSession p) {
        return p.pending.size() == 0 ? reasons | UpdateReason.PIPELINE_DRY : reasons;
    }

    @Override
    public String toString() {
        return connection.remoteAddress().toString();
    }
}
