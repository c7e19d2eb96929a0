package io.piecework.core.internal;

import io.piecework.api.engine.TorrentStats;
import io.piecework.api.strategy.UpdateReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once a second for a running torrent: rates, expired requests, idle peers, choking rounds,
 * peer exchange and the statistics snapshot.
 */
final class TorrentTimer {
    private static final Logger LOG = LoggerFactory.getLogger(TorrentTimer.class);

    private final Torrent torrent;
    // Touched by the timer thread only.
    private int round;
    private long lastTick = System.nanoTime();

    TorrentTimer(Torrent torrent) {
        this.torrent = torrent;
    }

    void tick() {
        try {
            tickUnsafe();
        } catch (RuntimeException e) {
            LOG.error("{}: timer failed", torrent, e);
        }
    }

    private void tickUnsafe() {
        long now = System.nanoTime();
        long elapsed = now - lastTick;
        lastTick = now;
        torrent.downloaded.tick(elapsed);
        torrent.uploaded.tick(elapsed);
        int thisRound = ++round;
        // Handed to the lock's holder when it is taken: the timer never waits for a torrent.
        torrent.lock.submit(() -> {
            List<PeerSession> starved = new ArrayList<>();
            List<PeerSession> idlers = new ArrayList<>();
            torrent.swarm.tick(elapsed, now, thisRound, starved, idlers);
            if (thisRound % 5 == 0) {
                torrent.blocks.refreshByteCounts();
            }
            for (PeerSession p : starved) {
                torrent.requestUpdate(p, PeerSession.dryOr(UpdateReason.TIMED_OUT, p));
            }
            return idlers.isEmpty() ? null : () -> idlers.forEach(p -> torrent.swarm.evicted(p,
                    "idle: nothing but keep-alives, and nothing to exchange"));
        });
        torrent.connector.tick();
        if (round % Math.max(1, torrent.engine.settings().pexIntervalSeconds()) == 0 && !torrent.metainfo.isPrivate()) {
            torrent.pex.send();
        }
        torrent.publish();
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
                t.connector.bannedCount(), Optional.ofNullable(error));
    }
}
