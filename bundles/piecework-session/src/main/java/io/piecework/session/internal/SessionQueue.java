package io.piecework.session.internal;

import io.piecework.api.engine.Labels;
import io.piecework.api.engine.QueueLimits;
import io.piecework.api.engine.SeedLimits;
import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentEvent;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentQueue;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.InfoHash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's queue: which torrents someone wants running (the shell, the RPC, a restore),
 * in which order, and which of those the limits let run. It hears every start and stop as an
 * engine event, so clients that only call {@link TorrentHandle#start()} are queued too; the
 * engine itself knows nothing of it. A torrent it stops for want of a slot stays wanted
 * (queued); one someone else stops is no longer wanted. Seeding limits are checked on each
 * {@link #rebalance()}: the session runs it after every event and every few seconds.
 *
 * <p>An event says that a torrent's state changed, not what it is now: the engine changes the
 * state on one thread and emits later, so a rebalance may run between the two, and an event
 * made on a disk thread may arrive after a stop made and heard on the shell's. The queue acts
 * on the torrent's state as it is when it looks, and on a change from the last state it acted
 * on only, so a late or repeated event changes nothing and a stop heard late is not undone.
 *
 * <p>State is guarded by {@code this}; handles are started and stopped outside the lock, on the
 * executor given (the session's thread), since each emits an event that comes back here.
 */
final class SessionQueue implements TorrentQueue {
    private static final Logger LOG = LoggerFactory.getLogger(SessionQueue.class);

    /** One torrent's place in the queue. */
    private static final class Slot {
        boolean wanted;
        boolean queued;
        boolean forced;
        boolean finished;
        /** The queue is stopping it for want of a slot: its STOPPED event leaves it wanted. */
        boolean stopping;
        SeedLimits seed = SeedLimits.GLOBAL;
        /** The session saved it complete and it has not run since: a seed, though its pieces are not loaded. */
        boolean completeOnDisk;
        /**
         * Whether it is known to be a download or a seed: it ran (its storage opened) or the
         * session saved which. Until then it is let run to be checked, outside the limits, and
         * queued after if it has no slot (as Transmission checks a torrent it adds).
         */
        boolean known;
        /** The state the queue last acted on (a new torrent is stopped until heard otherwise). */
        TorrentState seen = TorrentState.STOPPED;
        long lastUploaded = -1;
        long activeMillis;
        List<String> labels = List.of();
        /** Bytes moved in earlier runs (the session file's): a ratio counts from the torrent's first start. */
        long earlierUploaded;
        long earlierDownloaded;
    }

    private final TorrentEngine engine;
    private final Executor worker;
    private final LongSupplier clock;
    private final Consumer<QueueLimits> keep;
    private final Runnable changed;
    private final List<InfoHash> order = new ArrayList<>();
    private final Map<InfoHash, Slot> slots = new HashMap<>();
    private QueueLimits limits;

    /**
     * @param keep    saves limits set through {@link #limits(QueueLimits)} (into the configuration)
     * @param changed asks the session to save (order and per-torrent limits changed)
     */
    SessionQueue(TorrentEngine engine, QueueLimits limits, Executor worker, LongSupplier clock,
                 Consumer<QueueLimits> keep, Runnable changed) {
        this.engine = engine;
        this.limits = limits;
        this.worker = worker;
        this.clock = clock;
        this.keep = keep;
        this.changed = changed;
        for (TorrentHandle t : engine.torrents()) {
            Slot s = slot(t.infoHash());
            s.seen = t.stats().state();
            s.wanted = running(s.seen);
            s.known = s.wanted;
        }
    }

    /** Called on engine threads: bookkeeping only, the decisions follow on the worker. */
    void onEvent(TorrentEvent event) {
        InfoHash h = event.infoHash();
        synchronized (this) {
            switch (event.kind()) {
                case ADDED -> slot(h);
                case REMOVED -> {
                    order.remove(h);
                    slots.remove(h);
                }
                case STATE_CHANGED -> observe(slot(h), engine.find(h).map(t -> t.stats().state())
                        .orElse(event.state()), h);
                default -> {
                    // COMPLETED, ERROR and pieces only change what the next rebalance finds.
                }
            }
        }
        worker.execute(this::rebalance);
    }

    /** The torrent is in {@code now}: acted on when that is not the state last acted on. */
    private void observe(Slot s, TorrentState now, InfoHash h) {
        if (now != s.seen) {
            s.seen = now;
            stateChanged(s, now, h);
        }
    }

    private void stateChanged(Slot s, TorrentState state, InfoHash h) {
        if (state == TorrentState.STOPPED) {
            if (s.stopping) {
                s.stopping = false; // ours: it waits for a slot
            } else {
                s.wanted = s.queued = s.forced = false;
            }
        } else if (running(state) && state != TorrentState.CHECKING) {
            s.completeOnDisk = false; // its storage is open: its statistics say now
            s.known = true;
        }
        if (running(state) && !s.stopping) {
            if (!s.wanted && s.finished) {
                // Started by hand after its seeding limit: as Transmission, the limit no longer holds it.
                LOG.info("queue: {} started again after its seeding limit: it now seeds without one", h.hex());
                s.seed = new SeedLimits(SeedLimits.Mode.UNLIMITED, s.seed.ratio(), SeedLimits.Mode.UNLIMITED,
                        s.seed.idleMinutes());
            }
            s.wanted = true;
            s.queued = s.finished = false;
        }
    }

    private static boolean running(TorrentState state) {
        return state != TorrentState.STOPPED && state != TorrentState.ERROR;
    }

    private Slot slot(InfoHash h) {
        Slot s = slots.get(h);
        if (s == null) {
            s = new Slot();
            slots.put(h, s);
            order.add(h);
        }
        return s;
    }

    /**
     * Walks the queue in order: each wanted torrent takes a download or seeding slot while one
     * is free and runs; the rest are stopped and wait. A seeding torrent past its ratio or idle
     * limit stops for good (finished).
     */
    void rebalance() {
        List<Runnable> actions = new ArrayList<>();
        long now = clock.getAsLong();
        synchronized (this) {
            int downloads = 0;
            int seeds = 0;
            for (InfoHash h : order) {
                Slot s = slots.get(h);
                Optional<TorrentHandle> found = engine.find(h);
                if (found.isEmpty()) {
                    continue;
                }
                TorrentHandle t = found.get();
                TorrentStats stats = t.stats();
                // A stop made but not heard yet counts now: its torrent is not started again.
                observe(s, stats.state(), h);
                if (!s.wanted) {
                    continue;
                }
                boolean running = running(stats.state());
                if (stats.state() == TorrentState.ERROR) {
                    continue; // tried again when someone starts it, not in a loop here
                }
                if (stats.state() == TorrentState.SEEDING && seedingDone(s, stats, now)) {
                    s.wanted = false;
                    s.finished = true;
                    actions.add(t::stop);
                    continue;
                }
                if (!running) {
                    s.activeMillis = 0;
                }
                if (s.forced || !s.known) {
                    if (!running) {
                        actions.add(t::start);
                    }
                    continue;
                }
                // A magnet without metadata wants 0 bytes so far: a download.
                boolean complete = stats.state() == TorrentState.SEEDING || s.completeOnDisk
                        || stats.wantedBytes() > 0 && stats.verifiedBytes() >= stats.wantedBytes();
                boolean fits = complete
                        ? !limits.seedQueueEnabled() || seeds < limits.seedQueueSize()
                        : !limits.downloadQueueEnabled() || downloads < limits.downloadQueueSize();
                if (fits) {
                    seeds += complete ? 1 : 0;
                    downloads += complete ? 0 : 1;
                    s.queued = false;
                    if (!running) {
                        actions.add(t::start);
                    }
                } else {
                    s.queued = true;
                    if (running) {
                        s.stopping = true;
                        actions.add(t::stop);
                    }
                }
            }
        }
        actions.forEach(Runnable::run);
    }

    /** Whether a seeding torrent reached its ratio or was idle too long; tracks its last upload. */
    private boolean seedingDone(Slot s, TorrentStats stats, long now) {
        if (s.activeMillis == 0 || stats.uploaded() != s.lastUploaded) {
            s.lastUploaded = stats.uploaded();
            s.activeMillis = now;
        }
        SeedLimits own = s.seed;
        boolean ratioOn = own.ratioMode() == SeedLimits.Mode.SINGLE
                || own.ratioMode() == SeedLimits.Mode.GLOBAL && limits.ratioLimited();
        double ratioLimit = own.ratioMode() == SeedLimits.Mode.SINGLE ? own.ratio() : limits.ratioLimit();
        long downloaded = s.earlierDownloaded + stats.downloaded();
        long uploaded = s.earlierUploaded + stats.uploaded();
        long base = downloaded > 0 ? downloaded : stats.wantedBytes();
        if (ratioOn && base > 0 && (double) uploaded / base >= ratioLimit) {
            LOG.info("queue: {} stops seeding at ratio {} (limit {})", stats.name(),
                    String.format("%.2f", (double) uploaded / base), ratioLimit);
            return true;
        }
        boolean idleOn = own.idleMode() == SeedLimits.Mode.SINGLE
                || own.idleMode() == SeedLimits.Mode.GLOBAL && limits.idleLimited();
        long idleMinutes = own.idleMode() == SeedLimits.Mode.SINGLE ? own.idleMinutes() : limits.idleMinutes();
        if (idleOn && now - s.activeMillis >= idleMinutes * 60_000L) {
            LOG.info("queue: {} stops seeding after {} idle minutes", stats.name(), idleMinutes);
            return true;
        }
        return false;
    }

    // --- TorrentQueue ---

    @Override
    public synchronized int position(InfoHash torrent) {
        return order.indexOf(torrent);
    }

    @Override
    public synchronized boolean queued(InfoHash torrent) {
        Slot s = slots.get(torrent);
        return s != null && s.wanted && s.queued;
    }

    @Override
    public synchronized boolean finished(InfoHash torrent) {
        Slot s = slots.get(torrent);
        return s != null && s.finished;
    }

    /** Restored from the session, which says whether it was complete: a seed or a download from the start. */
    synchronized void restored(InfoHash torrent, boolean complete) {
        Slot s = slot(torrent);
        s.known = true;
        s.completeOnDisk = complete;
    }

    /** Whether it is still only known complete from the saved session; {@code otherwise} for an unknown torrent. */
    synchronized boolean completeOnDisk(InfoHash torrent, boolean otherwise) {
        Slot s = slots.get(torrent);
        return s == null ? otherwise : s.completeOnDisk;
    }

    /** Whether someone wants it running (running or queued): what the session saves as started. */
    synchronized boolean wanted(InfoHash torrent) {
        Slot s = slots.get(torrent);
        return s != null && s.wanted;
    }

    @Override
    public void start(InfoHash torrent, boolean now) {
        synchronized (this) {
            Slot s = slot(torrent);
            if (!s.wanted && s.finished) {
                stateChanged(s, TorrentState.CHECKING, torrent); // the same as a start by hand
            }
            s.wanted = true;
            s.finished = false;
            s.forced = now;
        }
        // The queue leaves a torrent in error alone; a start asked for is the one that tries it again.
        engine.find(torrent).filter(t -> t.stats().state() == TorrentState.ERROR).ifPresent(TorrentHandle::start);
        worker.execute(this::rebalance);
    }

    @Override
    public void stop(InfoHash torrent) {
        synchronized (this) {
            Slot s = slot(torrent);
            s.wanted = s.queued = s.forced = s.stopping = false;
        }
        engine.find(torrent).ifPresent(TorrentHandle::stop);
        worker.execute(this::rebalance);
    }

    @Override
    public void move(List<InfoHash> torrents, Move move) {
        synchronized (this) {
            List<InfoHash> moving = new ArrayList<>(new LinkedHashSet<>(torrents));
            moving.retainAll(order);
            switch (move) {
                case TOP, BOTTOM -> {
                    order.removeAll(moving);
                    order.addAll(move == Move.TOP ? 0 : order.size(), moving);
                }
                case UP -> {
                    for (InfoHash h : moving) {
                        int i = order.indexOf(h);
                        if (i > 0 && !moving.contains(order.get(i - 1))) {
                            order.set(i, order.get(i - 1));
                            order.set(i - 1, h);
                        }
                    }
                }
                case DOWN -> {
                    for (int k = moving.size() - 1; k >= 0; k--) {
                        InfoHash h = moving.get(k);
                        int i = order.indexOf(h);
                        if (i < order.size() - 1 && !moving.contains(order.get(i + 1))) {
                            order.set(i, order.get(i + 1));
                            order.set(i + 1, h);
                        }
                    }
                }
            }
        }
        changed.run();
        worker.execute(this::rebalance);
    }

    @Override
    public synchronized QueueLimits limits() {
        return limits;
    }

    @Override
    public void limits(QueueLimits next) {
        apply(next);
        keep.accept(next);
    }

    /** New limits from the configuration: applied at once. */
    void apply(QueueLimits next) {
        synchronized (this) {
            limits = next;
        }
        worker.execute(this::rebalance);
    }

    @Override
    public synchronized SeedLimits seedLimits(InfoHash torrent) {
        Slot s = slots.get(torrent);
        return s == null ? SeedLimits.GLOBAL : s.seed;
    }

    @Override
    public void seedLimits(InfoHash torrent, SeedLimits next) {
        synchronized (this) {
            Slot s = slot(torrent);
            s.seed = next;
        }
        changed.run();
        worker.execute(this::rebalance);
    }

    @Override
    public synchronized List<String> labels(InfoHash torrent) {
        Slot s = slots.get(torrent);
        return s == null ? List.of() : s.labels;
    }

    @Override
    public void labels(InfoHash torrent, List<String> labels) {
        List<String> checked = Labels.check(labels);
        synchronized (this) {
            slot(torrent).labels = checked;
        }
        changed.run();
    }

    /** The totals of earlier runs, from the session file. */
    synchronized void earlierTotals(InfoHash torrent, long uploaded, long downloaded) {
        Slot s = slot(torrent);
        s.earlierUploaded = uploaded;
        s.earlierDownloaded = downloaded;
    }

    @Override
    public synchronized long[] earlierTotals(InfoHash torrent) {
        Slot s = slots.get(torrent);
        return s == null ? new long[] {0, 0} : new long[] {s.earlierUploaded, s.earlierDownloaded};
    }

    /** Uploaded and downloaded bytes over every run: the earlier runs' and this one's ({@code stats}). */
    synchronized long[] totals(InfoHash torrent, TorrentStats stats) {
        Slot s = slots.get(torrent);
        long up = s == null ? 0 : s.earlierUploaded;
        long down = s == null ? 0 : s.earlierDownloaded;
        return new long[] {up + stats.uploaded(), down + stats.downloaded()};
    }
}
