package io.piecework.core.internal;

import io.piecework.api.engine.TorrentState;
import io.piecework.api.strategy.Picker;
import io.piecework.api.strategy.UpdateReason;
import io.piecework.wire.ExtendedHandshake;
import io.piecework.transport.PeerConnection;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peers of one torrent: who gets in (and who is evicted for them), what each has, our
 * interest in them and their choking, and who leaves. Everything here runs under the torrent's
 * lock, or takes it; messages go through the lock's {@link Outbox}, closes happen after unlocking.
 */
final class Swarm {
    private static final Logger LOG = LoggerFactory.getLogger(Swarm.class);

    /**
     * The piece set of a peer that announced none yet, has none, or has all (its seed flag
     * answers): shared and never written. A peer's own set comes from the engine's bitmap pool
     * (its bitfield, or its first have) and goes back when replaced or when the peer leaves.
     */
    static final RoaringBitmap NO_PIECES = new RoaringBitmap();

    private final Torrent torrent;
    private final Engine engine;
    private final InstrumentedLock lock;
    private final Outbox outbox;

    // Guarded by the torrent's lock.
    final List<PeerSession> peers = new ArrayList<>();
    final List<PeerSession> view = Collections.unmodifiableList(peers);
    private PeerSession optimistic;
    private volatile int peerCount;
    private volatile int seedCount;

    Swarm(Torrent torrent) {
        this.torrent = torrent;
        this.engine = torrent.engine;
        this.lock = torrent.lock;
        this.outbox = lock.outbox;
    }

    int peerCount() {
        return peerCount;
    }

    int seedCount() {
        return seedCount;
    }

    /**
     * @param adopted the connection was made for the magnet link before the metadata: it has
     *                had its handshakes and may have sent messages, so no bitfield may follow
     */
    PeerSession connected(PeerConnection connection, boolean adopted) {
        Connector connector = torrent.connector;
        // One of our dials already holds an engine slot (the connector took it when dialling).
        boolean dialled = connector.claim(connection.remoteAddress());
        if (!dialled && connector.banned(connection.remoteAddress())) {
            return null;
        }
        if (!running()) {
            return refused(dialled); // judged again under the lock
        }
        PeerSession session = new PeerSession(engine.nextPeerId(), torrent, connection);
        // Admitted under the lock, by its holder when it is taken, so the event loop never waits.
        // The peer's messages are handed after this, so none is taken in before its admission.
        lock.submit(() -> admit(session, dialled, adopted));
        return session;
    }

    private boolean running() {
        TorrentState state = torrent.state;
        return torrent.storage != null && state != TorrentState.STOPPED && state != TorrentState.ERROR;
    }

    /** Under the lock: lets the peer in (evicting a less useful one if full), or turns it away. */
    private Runnable admit(PeerSession session, boolean dialled, boolean adopted) {
        PeerConnection connection = session.connection;
        if (session.closed || !running()) {
            return turnAway(session, dialled);
        }
        PeerSession evict = null;
        long now = System.nanoTime();
        InetAddress ip = connection.remoteAddress().getAddress();
        int max = engine.settings().maxPeersPerTorrent();
        if (PeerSlots.at(peers, ip) >= engine.settings().peerLimits().perAddress(ip, max)) {
            evict = PeerSlots.leastUseful(peers, ip, now);
        } else if (!dialled && (peers.size() + torrent.connector.dialsInFlight() >= max || !engine.takeConnectionSlot())) {
            evict = PeerSlots.leastUseful(peers, null, now);
            if (evict == null) {
                return turnAway(session, false);
            }
        }
        if (evict != null) {
            // The newcomer takes the evicted peer's connection slot.
            detach(evict);
            if (dialled) {
                engine.returnConnectionSlot();
            }
        } else if (PeerSlots.at(peers, ip) >= engine.settings().peerLimits().perAddress(ip, max)) {
            return turnAway(session, dialled);
        }
        session.incoming = !dialled;
        peers.add(session);
        countPeers();
        if (connection.extensionProtocol()) {
            outbox.extendedHandshake(connection, ExtendedHandshake.ours(Engine.CLIENT, engine.listenPort(),
                    PeerSession.MAX_PIPELINE, torrent.info.length));
        }
        PieceTracker tracker = torrent.blocks.tracker;
        if (adopted) {
            // The magnet side sent have_none (or nothing); pieces found on disk go as haves.
            for (int piece : tracker.verified()) {
                outbox.have(connection, piece);
            }
        } else {
            announcePieces(connection, tracker);
        }
        engine.dhtPorts().advertise(connection, outbox);
        PeerSession evicted = evict;
        return () -> {
            if (evicted != null) {
                evicted(evicted, "evicted for a newcomer: it gave nothing");
            }
            torrent.connector.connected(connection.remoteAddress());
            torrent.timer.wake(); // the statistics count it, the first choking round may unchoke it
            LOG.debug("{}: peer {} connected", torrent, connection.remoteAddress());
        };
    }

    /** Turns a connection away; one of our dials gives its connection slot back. */
    private PeerSession refused(boolean dialled) {
        if (dialled) {
            engine.returnConnectionSlot();
        }
        return null;
    }

    /** Under the lock: the peer's session was handed out but it may not stay; closed after unlocking. */
    private Runnable turnAway(PeerSession session, boolean dialled) {
        session.closed = true;
        refused(dialled);
        return () -> {
            session.connection.close("refused by the torrent");
            // A dial refused: the connector tries the address again later, as after a failed dial.
            torrent.connector.disconnected(session.connection.remoteAddress(), "refused by the torrent");
        };
    }

    /** After {@link #detach}: closes the peer's connection, outside the lock. */
    void evicted(PeerSession p, String why) {
        torrent.evicted.increment();
        LOG.debug("{}: peer {} {}", torrent, p, why);
        p.connection.close(why);
        torrent.connector.disconnected(p.connection.remoteAddress(), why);
    }

    private void announcePieces(PeerConnection connection, PieceTracker tracker) {
        int have = tracker.verifiedCount();
        if (have == tracker.pieceCount() && connection.fastExtension()) {
            outbox.haveAll(connection);
        } else if (have == 0) {
            if (connection.fastExtension()) {
                outbox.haveNone(connection);
            }
        } else {
            outbox.bitfield(connection, tracker.verified().clone());
        }
    }

    // --- messages from peers (event loops): handed to the lock's holder when it is taken ---

    void peerPieces(PeerSession p, RoaringBitmap bitfield, boolean all) {
        lock.submit(() -> pieces(p, bitfield, all));
    }

    private Runnable pieces(PeerSession p, RoaringBitmap bitfield, boolean all) {
        if (p.closed) {
            engine.releaseBitmap(bitfield); // gone while this waited for the lock: nobody will read this
            return null;
        }
        p.seed = all || (bitfield != null && bitfield.getCardinality() == torrent.blocks.pieceCount());
        engine.releaseBitmap(p.pieces);
        if (p.seed && bitfield != null) {
            engine.releaseBitmap(bitfield); // a seed has every piece: the flag says so, no set is kept
            bitfield = null;
        }
        p.pieces = p.seed || bitfield == null ? NO_PIECES : bitfield;
        countWanted(p);
        Picker current = torrent.picker;
        if (current != null) {
            current.peerPiecesReset(p);
        }
        refreshInterest(p);
        if (p.seed && torrent.blocks.tracker.complete() && torrent.state == TorrentState.SEEDING) {
            return () -> p.connection.close("both sides are seeds");
        }
        torrent.requestUpdate(p, PeerSession.dryOr(UpdateReason.PIECES_RESET, p));
        return null;
    }

    void peerHas(PeerSession p, int piece) {
        lock.submit(() -> has(p, piece));
    }

    private Runnable has(PeerSession p, int piece) {
        if (p.closed || p.seed) {
            return null; // closed: its piece set went back to the pool
        }
        if (p.pieces == NO_PIECES) {
            p.pieces = engine.takeBitmap();
        }
        if (!p.pieces.checkedAdd(piece)) {
            return null;
        }
        if (p.pieces.getCardinality() == torrent.blocks.pieceCount()) {
            p.seed = true; // from now on the flag answers, and the set is given back
            engine.releaseBitmap(p.pieces);
            p.pieces = NO_PIECES;
        }
        PieceTracker tracker = torrent.blocks.tracker;
        if (tracker.priority(piece) > 0 && !tracker.have(piece)) {
            p.wantedHeld++;
        }
        Picker current = torrent.picker;
        if (current != null) {
            current.peerHas(p, piece);
        }
        if (!p.amInterested && torrent.blocks.tracker.wanted(piece)) {
            p.amInterested = true;
            outbox.interested(p.connection, true);
        }
        if (p.pending.size() < p.pipelineTarget) {
            torrent.requestUpdate(p, PeerSession.dryOr(UpdateReason.HAVE, p));
        }
        return null;
    }

    /**
     * Counts the pieces the peer has that we want: O(its pieces), so only when they are replaced
     * (a bitfield) or priorities change; haves and verified pieces adjust the count. Under the lock.
     */
    void countWanted(PeerSession p) {
        PieceTracker tracker = torrent.blocks.tracker;
        int wanted = 0;
        if (!p.seed) {
            for (int piece : p.pieces) {
                if (tracker.priority(piece) > 0 && !tracker.have(piece)) {
                    wanted++;
                }
            }
        }
        p.wantedHeld = wanted;
    }

    /** A piece was verified: peers that have it hold one wanted piece fewer. Under the lock. */
    void pieceVerified(int piece) {
        boolean counted = torrent.blocks.tracker.priority(piece) > 0;
        for (PeerSession p : peers) {
            if (!p.seed && counted && p.pieces.contains(piece)) {
                p.wantedHeld--;
                if (p.wantedHeld == 0) {
                    refreshInterest(p);
                }
            }
        }
    }

    /** Queues interested or not interested when our interest in the peer changed; under the lock. */
    void refreshInterest(PeerSession p) {
        boolean want = !torrent.blocks.tracker.complete() && (p.seed || p.wantedHeld > 0);
        if (want != p.amInterested) {
            p.amInterested = want;
            outbox.interested(p.connection, want);
        }
    }

    void peerChoked(PeerSession p) {
        lock.submit(() -> {
            p.peerChoking = true;
            if (!p.connection.fastExtension() && !p.closed) {
                // Without BEP 6 a choke silently drops every request we had out.
                torrent.blocks.releaseAll(p);
            }
            return null;
        });
    }

    void peerUnchoked(PeerSession p) {
        lock.submit(() -> {
            p.peerChoking = false;
            p.lastBlockAt = System.nanoTime();
            torrent.requestUpdate(p, PeerSession.dryOr(UpdateReason.UNCHOKED, p));
            return null;
        });
    }

    void peerInterest(PeerSession p, boolean interested) {
        lock.submit(() -> {
            p.peerInterested = interested;
            if (interested) {
                torrent.timer.wake(); // choking rounds are due again
            }
            // A free upload slot need not wait for the next choking round.
            if (interested && p.amChoking && !p.closed && torrent.state != TorrentState.PAUSED
                    && unchokedCount() < engine.settings().uploadSlots()) {
                p.amChoking = false;
                outbox.choke(p.connection, false);
            }
            return null;
        });
    }

    private int unchokedCount() {
        int n = 0;
        for (PeerSession p : peers) {
            if (!p.amChoking) {
                n++;
            }
        }
        return n;
    }

    void peerClosed(PeerSession p, String reason) {
        lock.submit(() -> {
            if (!peers.contains(p)) {
                return null; // evicted: detached already, its slot passed on
            }
            detach(p);
            // Its requests are free again: let peers with room pick them up now.
            for (PeerSession o : peers) {
                if (o.pending.size() < o.pipelineTarget) {
                    torrent.requestUpdate(o, PeerSession.dryOr(UpdateReason.TIMED_OUT, o));
                }
            }
            return () -> {
                engine.returnConnectionSlot();
                torrent.connector.disconnected(p.connection.remoteAddress(), reason);
                torrent.timer.wake(); // the statistics, and the connector may dial it again
                LOG.debug("{}: peer {} gone: {}", torrent, p, reason);
            };
        });
    }

    /** Takes a peer out of the torrent: its requests, its pieces, its place. Under the lock. */
    void detach(PeerSession p) {
        p.closed = true;
        peers.remove(p);
        countPeers();
        torrent.blocks.releaseAll(p);
        Picker current = torrent.picker;
        if (current != null) {
            current.peerGone(p);
        }
        if (optimistic == p) {
            optimistic = null;
        }
        engine.releaseBitmap(p.pieces);
        p.pieces = NO_PIECES;
    }

    // --- the timer, under the lock ---

    /**
     * A tick: rates, pipelines, expired requests, idle peers, and a choking round when due. Under
     * the lock; the caller closes {@code idlers} and updates {@code starved}.
     *
     * @return whether every peer is quiet: not interested, nothing requested either way, no byte
     *         moved since the last tick; those that are give back their request buffers
     */
    boolean tick(long now, boolean choke, boolean rotate, List<PeerSession> starved, List<PeerSession> idlers) {
        long idle = TimeUnit.SECONDS.toNanos(engine.settings().peerLimits().idlePeerSeconds());
        boolean quiet = true;
        for (PeerSession p : peers) {
            boolean moved = p.foldRates(now);
            p.resizePipeline();
            if (torrent.blocks.expireRequests(p, now) || (p.rejects.resumable(now) && p.pending.size() == 0)) {
                starved.add(p);
            }
            if (idle > 0 && PeerSlots.useless(p, now, idle) && now - p.lastUsefulAt > idle) {
                idlers.add(p);
            }
            boolean peerQuiet = !moved && p.pending.size() == 0 && p.queuedUploads() == 0
                    && (!p.peerInterested || torrent.state == TorrentState.PAUSED);
            if (peerQuiet) {
                p.pending.release();
                Uploads.Queue uploads = p.uploadQueueIfMade();
                if (uploads != null) {
                    uploads.release();
                }
            }
            quiet &= peerQuiet;
        }
        for (PeerSession p : idlers) {
            detach(p);
            engine.returnConnectionSlot();
        }
        if (choke) {
            chokeRound(rotate);
        }
        countPeers();
        return quiet;
    }

    private void chokeRound(boolean rotate) {
        if (torrent.state == TorrentState.PAUSED) {
            return;
        }
        List<PeerSession> chosen = engine.choker().choose(peers, engine.settings().uploadSlots(),
                torrent.state == TorrentState.SEEDING, optimistic, rotate);
        PeerSession newOptimistic = null;
        for (PeerSession p : chosen) {
            newOptimistic = p;
        }
        optimistic = chosen.size() > engine.settings().uploadSlots() ? newOptimistic : optimistic;
        for (PeerSession p : peers) {
            boolean unchoke = chosen.contains(p);
            if (unchoke && p.amChoking) {
                p.amChoking = false;
                outbox.choke(p.connection, false);
            } else if (!unchoke && !p.amChoking) {
                p.amChoking = true;
                outbox.choke(p.connection, true);
            }
            p.unchokedRounds = p.amChoking ? 0 : p.unchokedRounds + 1;
        }
    }

    /** Chokes everyone (pause); under the lock. */
    void chokeAll() {
        for (PeerSession p : peers) {
            p.amChoking = true;
            outbox.choke(p.connection, true);
        }
    }

    /** Recounts peers and seeds for the snapshot; under the lock. */
    private void countPeers() {
        int seeds = 0;
        for (PeerSession p : peers) {
            if (p.seed) {
                seeds++;
            }
        }
        peerCount = peers.size();
        seedCount = seeds;
    }
}
