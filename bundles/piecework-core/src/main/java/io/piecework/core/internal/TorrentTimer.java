package io.piecework.core.internal;

import io.piecework.api.engine.TorrentState;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.strategy.UpdateReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timer of a running torrent: rates, expired requests, idle peers, choking rounds, peer
 * exchange and the statistics snapshot. The engine's one timer offers it a tick every second;
 * it takes every one while the torrent is busy, and only one in {@link #QUIET_TICK_SECONDS} once
 * it is quiet: nothing to download, no peer interested, no request out or queued, no byte moved
 * and no dial waiting. Then a second holds nothing to do, and at 1000 torrents the ticks would
 * cost several percent of a core. Whatever can end the quiet (a peer's interest, a request, a
 * peer coming or going, a state change, a peer to dial) calls {@link #wake()}.
 */
final class TorrentTimer {
    private static final Logger LOG = LoggerFactory.getLogger(TorrentTimer.class);
    /** A quiet torrent still evicts idle peers, publishes statistics and dials on this pace. */
    static final int QUIET_TICK_SECONDS = 10;
    private static final long QUIET_TICK_NANOS = TimeUnit.SECONDS.toNanos(QUIET_TICK_SECONDS);
    /** Ticks come about a second apart, never exactly: a round due in under this is due now. */
    private static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final Torrent torrent;
    /** Set by any thread on an event that may end the quiet; cleared by the timer before a tick. */
    private volatile boolean awake = true;
    // Touched by the timer thread only.
    private int round;
    private int chokeRounds;
    private long quietUntil;
    /** When a busy (or woken) torrent ticks next: a second after its last tick. */
    private long nextTickAt;
    private long lastChokeAt;
    private long lastPexAt;
    private long ticks;

    TorrentTimer(Torrent torrent) {
        this.torrent = torrent;
        this.lastPexAt = System.nanoTime(); // the first exchange a full interval after the start
    }

    /** Something happened that the next second's tick must see. */
    void wake() {
        if (!awake) {
            awake = true;
        }
    }

    /** Before the engine offers ticks: the first is due a second from {@code now}. */
    void schedule(long now) {
        nextTickAt = now + RateMeter.SECOND;
        awake = true;
    }

    /**
     * The engine's timer, many times a second: ticks a second after the last tick when busy or
     * woken, and when its quiet time is over.
     */
    void offer(long now) {
        if (awake ? now - nextTickAt < 0 : now - quietUntil < 0) {
            return;
        }
        nextTickAt += RateMeter.SECOND;
        if (now - nextTickAt >= 0) {
            nextTickAt = now + RateMeter.SECOND; // late (quiet, or a slow tick): from now on
        }
        awake = false; // before the tick: an event during it wakes us for the next
        long sleep;
        try {
            sleep = tick(now);
        } catch (RuntimeException e) {
            LOG.error("{}: timer failed", torrent, e);
            sleep = 0;
        }
        if (sleep > SLACK_NANOS) {
            quietUntil = now + sleep - SLACK_NANOS; // offers come in slices: not a slice later
        } else {
            awake = true;
        }
    }

    /** Ticks taken, for tests. */
    long ticks() {
        return ticks;
    }

    /** @return nanoseconds the torrent can go without a tick: 0 unless it is quiet */
    private long tick(long now) {
        ticks++;
        round++;
        torrent.blocks.writes.flush(); // blocks of a piece still arriving wait at most a second
        boolean moved = torrent.downloaded.fold(now) != 0;
        moved |= torrent.uploaded.fold(now) != 0;
        int chokeSeconds = Math.max(1, torrent.engine.settings().chokeRoundSeconds());
        boolean choke = round == 1 || now - lastChokeAt >= chokeSeconds * RateMeter.SECOND - SLACK_NANOS;
        boolean rotate = false;
        if (choke) {
            lastChokeAt = now;
            rotate = ++chokeRounds % 3 == 0;
        }
        TickUnderLock locked = new TickUnderLock();
        boolean rotateNow = rotate;
        int thisRound = round;
        // Handed to the lock's holder when it is taken: the timer never waits for a torrent.
        torrent.lock.submit(() -> {
            locked.peersQuiet = torrent.swarm.tick(now, choke, rotateNow, locked.starved, locked.idlers);
            EndgameRescue.rescue(torrent.blocks, torrent.swarm.peers, now); // the last blocks a slow peer holds
            if (thisRound % 5 == 0) {
                torrent.blocks.refreshByteCounts();
            }
            for (PeerSession p : locked.starved) {
                torrent.requestUpdate(p, PeerSession.dryOr(UpdateReason.TIMED_OUT, p));
            }
            locked.done = true;
            return locked.idlers.isEmpty() ? null : () -> locked.idlers.forEach(p -> torrent.swarm.evicted(p,
                    "idle: nothing but keep-alives, and nothing to exchange"));
        });
        torrent.connector.tick();
        int pexSeconds = Math.max(1, torrent.engine.settings().pexIntervalSeconds());
        if (now - lastPexAt >= pexSeconds * RateMeter.SECOND - SLACK_NANOS && !torrent.metainfo.isPrivate()) {
            lastPexAt = now;
            torrent.pex.send();
        }
        torrent.publish();
        TorrentState state = torrent.state;
        // Work handed to another holder has not run yet: a torrent whose lock is busy is not quiet.
        boolean quiet = locked.done && locked.peersQuiet && !moved && locked.starved.isEmpty()
                && locked.idlers.isEmpty() && (state == TorrentState.SEEDING || state == TorrentState.PAUSED);
        if (!quiet) {
            return 0;
        }
        torrent.blocks.writes.release();
        return Math.min(QUIET_TICK_NANOS, torrent.connector.dialDueIn(now)); // a retry is due sooner
    }

    /** The torrent's statistics now; lock-free reads only. */
    static TorrentStats snapshot(Torrent t, String error) {
        BlockPath blocks = t.blocks;
        InstrumentedLock lock = t.lock;
        long rate = t.downloaded.rate();
        long wanted = blocks.wantedBytes();
        long verifiedBytes = blocks.verifiedBytes();
        long left = Math.max(0, wanted - verifiedBytes);
        long eta = left == 0 ? 0 : rate > 0 ? left / rate : -1;
        return new TorrentStats(t.metainfo.infoHash(), t.metainfo.name(), t.state, t.metainfo.pieceCount(),
                blocks.verifiedCount(), wanted, verifiedBytes, t.downloaded.total(), t.uploaded.total(), rate,
                t.uploaded.rate(), t.swarm.peerCount(), t.swarm.seedCount(), eta, lock.acquisitions(), lock.waitNanos(),
                lock.holdNanos(), lock.waits().percentile(50), lock.waits().percentile(99), lock.holds().percentile(50),
                lock.holds().percentile(99), lock.handoffs(), t.requestUpdates.sum(), blocks.hashFailures.get(),
                t.connector.bannedCount(), Optional.ofNullable(error), lock.waits().snapshot(), lock.holds().snapshot(),
                blocks.updateNanos.sum());
    }

    /** What the tick's locked part found; read only once {@code done}, set last, says it ran. */
    private static final class TickUnderLock {
        final List<PeerSession> starved = new ArrayList<>();
        final List<PeerSession> idlers = new ArrayList<>();
        boolean peersQuiet;
        volatile boolean done;
    }
}
