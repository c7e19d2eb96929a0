package io.piecework.strategy.batched;

import io.piecework.api.strategy.PeerView;
import io.piecework.api.strategy.TorrentView;
import io.piecework.api.strategy.UpdateReason;
import io.piecework.strategy.cached.internal.IndexedPicker;
import io.piecework.strategy.cached.internal.PieceIndex;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks peers dirty on request updates (reasons OR-ed, one entry per peer) and serves them in
 * batches: a ticker on the strategy's timer runs a batch every interval while there is work,
 * and a trigger with {@link UpdateReason#PIPELINE_DRY} runs one at once on the caller's thread.
 * A batch takes the torrent's lock once, re-reads the partial pieces once, and fills each dirty
 * peer in the order they became dirty from the shared {@link PieceIndex}, letting later peers
 * skip the leading pieces earlier ones exhausted; the requests are the same as filling the
 * peers one after another with the naive strategy.
 *
 * <p>Locks: the dirty set is guarded by this object's monitor, never held while taking the
 * torrent's lock; a batch takes the torrent's lock first and the monitor inside it. A tick that
 * finds the torrent's lock taken leaves the batch to the next tick rather than wait. The ticker
 * stops after {@value #IDLE_TICKS} idle ticks, so an idle torrent costs no wake-ups, and a busy
 * one reuses the same scheduled task (no allocation per batch).
 */
final class BatchedPicker extends IndexedPicker {
    private static final Logger LOG = LoggerFactory.getLogger(BatchedPicker.class);
    private static final int IDLE_TICKS = 3;

    private final ScheduledExecutorService timer;
    private final long intervalMs;
    private final Runnable tick = this::tick;
    // Guarded by this: peers waiting for a batch, and their reasons.
    private PeerView[] dirty = new PeerView[16];
    private int[] dirtyReasons = new int[16];
    private int dirtyCount;
    private ScheduledFuture<?> ticker;
    private int idleTicks;
    private boolean closed;
    // Used only under the torrent's lock: the batch being served (swapped with dirty).
    private PeerView[] batch = new PeerView[16];
    private int[] batchReasons = new int[16];

    BatchedPicker(TorrentView torrent, ScheduledExecutorService timer, long intervalMs) {
        super(torrent);
        this.timer = timer;
        this.intervalMs = intervalMs;
    }

    @Override
    public void peerGone(PeerView peer) {
        super.peerGone(peer);
        synchronized (this) {
            int i = indexOf(peer);
            if (i >= 0) {
                dirtyCount--;
                System.arraycopy(dirty, i + 1, dirty, i, dirtyCount - i);
                System.arraycopy(dirtyReasons, i + 1, dirtyReasons, i, dirtyCount - i);
                dirty[dirtyCount] = null;
            }
        }
    }

    @Override
    public void requestUpdate(PeerView peer, int reasons) {
        boolean now = (reasons & UpdateReason.PIPELINE_DRY) != 0;
        synchronized (this) {
            if (closed) {
                return;
            }
            int i = indexOf(peer);
            if (i >= 0) {
                dirtyReasons[i] |= reasons;
            } else {
                if (dirtyCount == dirty.length) {
                    dirty = Arrays.copyOf(dirty, dirtyCount * 2);
                    dirtyReasons = Arrays.copyOf(dirtyReasons, dirtyCount * 2);
                }
                dirty[dirtyCount] = peer;
                dirtyReasons[dirtyCount++] = reasons;
            }
            if (!now && ticker == null) {
                startTicker();
            }
        }
        if (now) {
            flush();
        }
    }

    /** Serves every dirty peer now, under one acquisition of the torrent's lock. */
    void flush() {
        Lock lock = torrent.lock();
        lock.lock();
        try {
            serve();
        } finally {
            lock.unlock();
        }
    }

    /** Called holding the torrent's lock. */
    private void serve() {
        int n;
        synchronized (this) {
            n = dirtyCount;
            if (closed || n == 0) {
                return;
            }
            if (batch.length < dirty.length) {
                batch = new PeerView[dirty.length];
                batchReasons = new int[dirty.length];
            }
            PeerView[] peers = dirty;
            int[] reasons = dirtyReasons;
            dirty = batch;
            dirtyReasons = batchReasons;
            batch = peers;
            batchReasons = reasons;
            dirtyCount = 0;
        }
        index.prepare();
        index.sharePrefix(true);
        try {
            for (int i = 0; i < n; i++) {
                int blocks = index.fill(batch[i]);
                if (LOG.isDebugEnabled()) {
                    LOG.debug("peer {}: {} blocks requested (reasons {})", batch[i].id(), blocks, batchReasons[i]);
                }
                batch[i] = null;
            }
        } finally {
            index.sharePrefix(false);
        }
    }

    private void tick() {
        synchronized (this) {
            if (dirtyCount == 0) {
                if (++idleTicks >= IDLE_TICKS && ticker != null) {
                    ticker.cancel(false);
                    ticker = null;
                }
                return;
            }
            idleTicks = 0;
        }
        // A lock found taken is not waited for: its holder may be descheduled, and this one
        // timer thread serves every torrent. The batch stays for the next tick; a peer whose
        // pipeline runs dry meanwhile is served at once on its own thread.
        Lock lock = torrent.lock();
        if (lock.tryLock()) {
            try {
                serve();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Called holding this. */
    private void startTicker() {
        idleTicks = 0;
        try {
            ticker = timer.scheduleWithFixedDelay(tick, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The strategy is deactivating; the engine closes this picker next.
            LOG.debug("timer stopped; request update not scheduled");
        }
    }

    /** Called holding this. */
    private int indexOf(PeerView peer) {
        long id = peer.id();
        for (int i = 0; i < dirtyCount; i++) {
            if (dirty[i].id() == id) {
                return i;
            }
        }
        return -1;
    }

    /** Peers waiting for a batch (tests). */
    synchronized int dirtyPeers() {
        return dirtyCount;
    }

    /** Whether a ticker is scheduled (tests). */
    synchronized boolean ticking() {
        return ticker != null;
    }

    /** The current order; call with the torrent's lock held (tests). */
    int[] order() {
        return index.order();
    }

    /**
     * Stops the ticker and drops the dirty peers. Waits for a batch in progress (by taking the
     * torrent's lock), so no request is made by this picker once close returns.
     */
    @Override
    public void close() {
        Lock lock = torrent.lock();
        lock.lock();
        try {
            synchronized (this) {
                closed = true;
                Arrays.fill(dirty, 0, dirtyCount, null);
                dirtyCount = 0;
                if (ticker != null) {
                    ticker.cancel(false);
                    ticker = null;
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
