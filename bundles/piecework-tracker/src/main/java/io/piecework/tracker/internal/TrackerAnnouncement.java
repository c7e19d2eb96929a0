package io.piecework.tracker.internal;

import io.piecework.api.discovery.AnnounceTarget;
import io.piecework.api.discovery.Announcement;
import io.piecework.api.discovery.PeerSink;
import io.piecework.api.text.Untrusted;
import io.piecework.tracker.AnnounceRequest;
import io.piecework.tracker.AnnounceResponse;
import io.piecework.tracker.TrackerEvent;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One torrent's announcing to its trackers (BEP 12): tiers tried in order, trackers within a
 * tier in shuffled order, the tracker that answers moved to the front of its tier. One round
 * at a time; state is guarded by this object's lock, which is never held across I/O or while
 * calling the sink.
 */
public final class TrackerAnnouncement implements Announcement {
    private static final Logger LOG = LoggerFactory.getLogger(TrackerAnnouncement.class);

    private final AnnounceTarget target;
    private final PeerSink sink;
    private final Function<URI, TrackerClient> clients;
    private final ScheduledExecutorService scheduler;
    private final TrackerSettings settings;
    private final Random random;
    private final int key;
    private final Consumer<TrackerAnnouncement> onClose;

    // Guarded by this.
    private List<List<String>> seenTiers = List.of();
    private List<List<URI>> tiers = List.of();
    private final Map<URI, byte[]> trackerIds = new HashMap<>();
    private final Set<URI> started = new HashSet<>();
    private final Set<URI> stopSent = new HashSet<>();
    private final List<CompletableFuture<?>> stops = new ArrayList<>();
    private boolean completedPending;
    private boolean closed;
    private boolean inFlight;
    private boolean nowPending;
    private CompletableFuture<URI> round;
    private ScheduledFuture<?> next;
    private long nextAtNanos;
    private long lastAnnounceNanos;
    private boolean announcedOnce;
    private int minIntervalSeconds = -1;
    private Duration retry;
    private String status = "starting";
    /** Each tracker's last result; has its own lock. */
    private final TrackerResults results = new TrackerResults();

    TrackerAnnouncement(AnnounceTarget target, PeerSink sink, Function<URI, TrackerClient> clients,
                        ScheduledExecutorService scheduler, TrackerSettings settings, Random random,
                        Consumer<TrackerAnnouncement> onClose) {
        this.target = target;
        this.sink = sink;
        this.clients = clients;
        this.scheduler = scheduler;
        this.settings = settings;
        this.random = random;
        this.key = random.nextInt();
        this.retry = settings.retryInterval();
        this.onClose = onClose;
    }

    void start() {
        synchronized (this) {
            scheduleLocked(0);
        }
    }

    @Override
    public void completed() {
        synchronized (this) {
            if (closed) {
                return;
            }
            completedPending = true;
            // An event goes out at once, not after the interval.
            if (inFlight) {
                nowPending = true;
            } else {
                scheduleLocked(0);
            }
        }
    }

    @Override
    public void announceNow() {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (inFlight) {
                nowPending = true;
                return;
            }
            long wait = announcedOnce ? lastAnnounceNanos + minWait().toNanos() - System.nanoTime() : 0;
            if (next == null || nextAtNanos - System.nanoTime() > wait) {
                scheduleLocked(Math.max(0, wait));
            }
        }
    }

    private Duration minWait() {
        return minIntervalSeconds >= 0 ? Duration.ofSeconds(minIntervalSeconds) : settings.minInterval();
    }

    @Override
    public synchronized String status() {
        return status;
    }

    @Override
    public List<io.piecework.api.engine.TrackerInfo> trackers() {
        return results.list(target.trackerTiers());
    }

    /**
     * Stops announcing and tells every tracker that knows us. Returns at once; {@link #stopped()}
     * completes when those announces are done (or failed).
     */
    @Override
    public void close() {
        List<URI> targets;
        CompletableFuture<URI> running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            status = "stopped";
            if (next != null) {
                next.cancel(false);
                next = null;
            }
            targets = new ArrayList<>(started);
            running = inFlight ? round : null;
        }
        onClose.accept(this);
        for (URI u : targets) {
            stop(u);
        }
        if (running != null) {
            // A tracker that answers the round in flight learns of us after close: tell it too.
            CompletableFuture<?> late = running.handle((u, e) -> u).thenCompose(u -> u == null ? done() : stop(u));
            synchronized (this) {
                stops.add(late);
            }
        }
    }

    private static CompletableFuture<Void> done() {
        return CompletableFuture.completedFuture(null);
    }

    /** Completes when every stopped announce sent so far has been answered or has failed. */
    public CompletableFuture<Void> stopped() {
        synchronized (this) {
            return CompletableFuture.allOf(stops.toArray(new CompletableFuture<?>[0]));
        }
    }

    private CompletableFuture<Void> stop(URI u) {
        TrackerClient client = clients.apply(u);
        AnnounceRequest request;
        synchronized (this) {
            if (client == null || !stopSent.add(u)) {
                return done();
            }
            request = request(u, TrackerEvent.STOPPED);
        }
        CompletableFuture<AnnounceResponse> reply;
        try {
            reply = client.announce(u, request);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> f = reply.handle((r, e) -> {
            if (e != null) {
                LOG.debug("stopped announce to {} failed: {}", Untrusted.text(u.toString()), Untrusted.text(e.toString()));
            }
            return null;
        });
        synchronized (this) {
            stops.add(f);
        }
        return f;
    }

    private void scheduleLocked(long delayNanos) {
        if (closed) {
            return;
        }
        if (next != null) {
            next.cancel(false);
        }
        try {
            next = scheduler.schedule(this::runRound, delayNanos, TimeUnit.NANOSECONDS);
            nextAtNanos = System.nanoTime() + delayNanos;
        } catch (RejectedExecutionException e) {
            next = null; // the component is shutting down
        }
    }

    private void runRound() {
        List<URI> order = new ArrayList<>();
        CompletableFuture<URI> thisRound = new CompletableFuture<>();
        synchronized (this) {
            if (closed || inFlight) {
                return;
            }
            next = null;
            inFlight = true;
            nowPending = false;
            round = thisRound;
            refreshTiersLocked();
            tiers.forEach(order::addAll);
        }
        if (order.isEmpty()) {
            finishFailed("no usable tracker URL");
            thisRound.complete(null);
            return;
        }
        tryTracker(order, 0, null, thisRound);
    }

    /** Re-reads the target's tiers (a magnet's trackers may arrive later) and shuffles each anew if they changed. */
    private void refreshTiersLocked() {
        List<List<String>> now = target.trackerTiers();
        if (now.equals(seenTiers)) {
            return;
        }
        seenTiers = List.copyOf(now.stream().map(List::copyOf).toList());
        List<List<URI>> fresh = new ArrayList<>();
        for (List<String> tier : now) {
            List<URI> t = new ArrayList<>();
            for (String s : tier) {
                try {
                    URI u = new URI(s.trim());
                    if (!t.contains(u)) {
                        t.add(u);
                    }
                } catch (Exception e) {
                    LOG.debug("skipping tracker URL {}: {}", Untrusted.text(s), Untrusted.text(e.toString()));
                }
            }
            Collections.shuffle(t, random);
            if (!t.isEmpty()) {
                fresh.add(t);
            }
        }
        tiers = fresh;
    }

    private void tryTracker(List<URI> order, int i, String lastError, CompletableFuture<URI> thisRound) {
        if (i >= order.size()) {
            finishFailed(lastError);
            thisRound.complete(null);
            return;
        }
        URI u = order.get(i);
        TrackerClient client = clients.apply(u);
        AnnounceRequest request;
        synchronized (this) {
            if (closed) {
                inFlight = false;
                thisRound.complete(null);
                return;
            }
            request = client == null ? null : request(u, eventFor(u));
        }
        if (client == null) {
            results.failed(u, "unsupported scheme");
            tryTracker(order, i + 1, u + ": unsupported scheme", thisRound);
            return;
        }
        CompletableFuture<AnnounceResponse> reply;
        try {
            reply = client.announce(u, request);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((r, e) -> {
            try {
                scheduler.execute(() -> {
                    if (e != null) {
                        results.failed(u, message(e));
                        tryTracker(order, i + 1, u + ": " + message(e), thisRound);
                    } else {
                        results.answered(u, r);
                        answered(u, request.event(), r);
                        thisRound.complete(u);
                    }
                });
            } catch (RejectedExecutionException shuttingDown) {
                thisRound.complete(e == null ? u : null);
            }
        });
    }

    private static String message(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        String m = t.getMessage();
        // A tracker's failure reason comes from the network: shown and logged escaped.
        return m == null ? t.getClass().getSimpleName() : Untrusted.text(m);
    }

    private TrackerEvent eventFor(URI u) {
        if (!started.contains(u)) {
            return TrackerEvent.STARTED;
        }
        return completedPending ? TrackerEvent.COMPLETED : TrackerEvent.NONE;
    }

    private AnnounceRequest request(URI u, TrackerEvent event) {
        int numWant = event == TrackerEvent.STOPPED ? 0 : settings.numWant();
        return new AnnounceRequest(target.infoHash(), target.peerId(), target.port(), target.uploaded(),
                target.downloaded(), target.left(), event, numWant, key, trackerIds.get(u));
    }

    private void answered(URI u, TrackerEvent event, AnnounceResponse r) {
        List<InetSocketAddress> peers;
        synchronized (this) {
            inFlight = false;
            started.add(u);
            if (event == TrackerEvent.COMPLETED || (event == TrackerEvent.STARTED && target.left() == 0)) {
                completedPending = false;
            }
            if (r.trackerId() != null) {
                trackerIds.put(u, r.trackerId());
            }
            for (List<URI> tier : tiers) {
                if (tier.remove(u)) {
                    tier.add(0, u);
                    break;
                }
            }
            announcedOnce = true;
            lastAnnounceNanos = System.nanoTime();
            minIntervalSeconds = r.minInterval();
            retry = settings.retryInterval();
            Duration interval = r.interval() < 0 ? settings.defaultInterval() : Duration.ofSeconds(r.interval());
            if (interval.compareTo(settings.minInterval()) < 0) {
                interval = settings.minInterval();
            }
            if (minIntervalSeconds > 0 && interval.getSeconds() < minIntervalSeconds) {
                interval = Duration.ofSeconds(minIntervalSeconds);
            }
            status = Untrusted.text(u.toString()) + ": " + r.peers().size() + " peers, "
                    + Math.max(0, r.seeders()) + " seeders, "
                    + Math.max(0, r.leechers()) + " leechers, next in " + interval.getSeconds() + " s"
                    + (r.warning() == null ? "" : ", warning: " + Untrusted.text(r.warning()));
            if (closed) {
                return;
            }
            long delay = interval.toNanos();
            if (nowPending) {
                delay = completedPending ? 0 : Math.min(delay, minWait().toNanos());
            }
            scheduleLocked(delay);
            peers = r.peers();
        }
        if (r.warning() != null) {
            LOG.warn("tracker {} warns: {}", Untrusted.text(u.toString()), Untrusted.text(r.warning()));
        }
        if (!peers.isEmpty()) {
            try {
                sink.found(peers, u.toString());
            } catch (RuntimeException e) {
                LOG.warn("peer sink failed", e);
            }
        }
    }

    private void finishFailed(String error) {
        synchronized (this) {
            inFlight = false;
            Duration wait = retry;
            retry = retry.multipliedBy(2).compareTo(settings.defaultInterval()) > 0 ? settings.defaultInterval()
                    : retry.multipliedBy(2);
            status = "no tracker answered (" + error + "), retry in " + wait.getSeconds() + " s";
            LOG.debug("{}: {}", target.infoHash(), status);
            scheduleLocked(wait.toNanos());
        }
    }
}
