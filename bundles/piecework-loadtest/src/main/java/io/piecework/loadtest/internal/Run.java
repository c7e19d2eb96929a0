package io.piecework.loadtest.internal;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentEvent;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.bitmap.PoolStats;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One strategy's run: add every torrent with its fake peers as known peers (the engine dials
 * them), wait for every completion, measure the idle engine with everything complete and the
 * peers still connected, then remove the torrents and their data.
 */
final class Run {
    /**
     * From the last completion to the idle window: statistics are published once a second, and
     * file storage saves resume data a second after the last change (saveDelayMillis); both
     * done, the window sees the steady idle engine rather than the end of the download.
     */
    private static final long SETTLE_MS = 3_000;
    private final TorrentEngine engine;
    private final List<TorrentMetainfo> torrents;
    private final Map<TorrentMetainfo, List<InetSocketAddress>> peers;
    private final FakePeers swarm;
    private final Options options;
    private final long fakeEndBytes;
    private final PrintStream err;
    private final StateChanges states;
    private final ThreadCpu cpu = new ThreadCpu();
    private final Supplier<PoolStats> pool;
    /** How long the previous strategy's connections may take to close before this one measures. */
    private static final int QUIET_SECONDS = 60;
    /** This process's open descriptors before the first strategy added anything; -1 until taken. */
    private long descriptorsAtStart = -1;
    /** The last strategy's torrents, weakly: none may outlive its removal into this run's figures. */
    private Removed removed = Removed.NONE;

    /** @param fakeEndBytes heap of one fake peer's connection end, from {@link FakeSwarm#calibrate} */
    Run(TorrentEngine engine, List<TorrentMetainfo> torrents, Map<TorrentMetainfo, List<InetSocketAddress>> peers,
        FakePeers swarm, Options options, long fakeEndBytes, PrintStream err, StateChanges states,
        Supplier<PoolStats> pool) {
        this.pool = pool;
        this.engine = engine;
        this.torrents = torrents;
        this.peers = peers;
        this.swarm = swarm;
        this.options = options;
        this.fakeEndBytes = fakeEndBytes;
        this.err = err;
        this.states = states;
    }

    Result run(String strategy, Path dir) throws IOException, InterruptedException {
        awaitNoConnections();
        long heapBefore = Heap.usedAfterGc();
        ClassHistogram classesBefore = options.histogram() > 0 ? ClassHistogram.take() : null;
        long churnedBefore = swarm.churned();
        PoolStats pool0 = pool.get();
        long[] gc0 = gc();
        Map<Long, long[]> cpu0 = cpu.snapshot();
        long peersCpu0 = swarm.processCpuNanos();
        long t0 = System.nanoTime();
        List<TorrentHandle> handles = new ArrayList<>(torrents.size());
        try {
            for (TorrentMetainfo t : torrents) {
                handles.add(engine.add(t, new AddOptions(dir, false, peers.get(t))));
            }
            if (options.inbound()) {
                dialWhenReady(handles, t0);
            }
            swarm.churn(options.churn(), strategy.hashCode());
            awaitCompletion(strategy, handles, t0);
            long t1 = System.nanoTime();
            Map<Long, long[]> cpu1 = cpu.snapshot();
            long peersCpu1 = swarm.processCpuNanos();
            long[] gc1 = gc();
            PoolStats pool1 = pool.get();
            swarm.stopChurn();
            Thread.sleep(SETTLE_MS);
            List<TorrentStats> done = handles.stream().map(TorrentHandle::stats).toList();
            Map<Long, long[]> idle0 = cpu.snapshot();
            long i0 = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(options.idleSeconds()));
            long i1 = System.nanoTime();
            Map<Long, long[]> idle1 = cpu.snapshot();
            int idlePeers = handles.stream().mapToInt(h -> h.stats().peers()).sum();
            int fakeEnds = swarm.connections();
            long heapAfter = Heap.usedAfterGc();
            if (classesBefore != null) {
                err.println("  " + strategy + ": live heap grown per torrent, by class (fake peers' ends included):");
                ClassHistogram.take().growth(classesBefore, options.histogram(), torrents.size())
                        .forEach(line -> err.println("  " + line));
            }
            long[] download = ThreadCpu.delta(cpu0, cpu1);
            if (peersCpu0 >= 0 && peersCpu1 >= 0) {
                download[ThreadCpu.Side.PEERS.ordinal()] += peersCpu1 - peersCpu0; // the child JVM's, GC and JIT included
            }
            long[] idle = ThreadCpu.delta(idle0, idle1);
            StringBuilder pools = new StringBuilder("  " + strategy + ": idle CPU by thread pool, % of a core:");
            for (var e : cpu.byPool(idle0, idle1)) {
                pools.append(String.format(Locale.ROOT, " %s %.2f", e.getKey(), 100.0 * e.getValue() / (i1 - i0)));
            }
            err.println(pools);
            long allocated = ThreadCpu.engineAllocated(cpu0, cpu1);
            boolean pooled = pool0 != null && pool1 != null;
            long[] poolDelta = pooled ? new long[] {pool1.acquired() - pool0.acquired(), pool1.hits() - pool0.hits()}
                    : new long[] {-1, -1};
            return result(strategy, done, t1 - t0, download, allocated, i1 - i0, idle[ThreadCpu.Side.ENGINE.ordinal()],
                    idlePeers, heapAfter - heapBefore, fakeEnds * fakeEndBytes, swarm.churned() - churnedBefore,
                    new long[] {gc1[0] - gc0[0], gc1[1] - gc0[1]}, poolDelta);
        } finally {
            swarm.stopChurn();
            remove(handles);
            removed = new Removed(handles);
        }
    }

    /**
     * The previous strategy's connections close after its torrents are removed, on both
     * sides; measured before they are gone, their heap would be taken off this run's (cached
     * once measured 27.4 KiB with half of naive's engine channels still open). The fake ends
     * closing says nothing of the engine's: a removed torrent's peers leave its statistics at
     * once while the transport closes their sockets later. So the engine's side is waited
     * for on this process's open descriptors, each engine connection holding one, back to
     * where they were before the first strategy.
     */
    private void awaitNoConnections() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(QUIET_SECONDS);
        boolean fakeClosed = swarm.awaitLive(0, TimeUnit.SECONDS.toMillis(QUIET_SECONDS));
        if (descriptorsAtStart < 0) {
            descriptorsAtStart = Descriptors.open(); // the first strategy: nothing of ours is open yet
        }
        long allowed = descriptorsAtStart + descriptorSlack();
        long open = Descriptors.open();
        long waitFrom = System.nanoTime();
        long lingering = open - descriptorsAtStart;
        while (open > allowed && System.nanoTime() - deadline < 0) {
            Thread.sleep(100); // the JVM offers no event for a descriptor closing
            open = Descriptors.open();
        }
        if (lingering > descriptorSlack() && open <= allowed) {
            err.printf(Locale.ROOT, "  waited %.1f s for %d descriptors of the last run (its engine connections) to close%n",
                    (System.nanoTime() - waitFrom) / 1e9, lingering);
        }
        awaitRemoved(deadline);
        if (!fakeClosed || open > allowed || engine.stats().peers() > 0) {
            err.println("  warning: " + QUIET_SECONDS + " s after the last run, " + swarm.connections() + " fake and "
                    + engine.stats().peers() + " engine connections open, and the engine's process holds " + open
                    + " file descriptors against " + descriptorsAtStart + " before the first strategy (up to "
                    + allowed + " allowed): heap/torrent of this run is taken with the last run's connections alive");
        }
    }

    /**
     * Then until the engine has let go of the last strategy's torrents: their sockets are closed
     * before the transport's event loops have run every closed connection's deregistration, and
     * until then each channel still holds its peer session and so its torrent (at 1000 x 19,
     * 516 to 994 of cached's 1000 torrents were still reachable after the descriptor wait and
     * five full collections, and batched measured 23.6 to 34.8 KiB per torrent instead of 47).
     */
    private void awaitRemoved(long deadline) throws InterruptedException {
        long waitFrom = System.nanoTime();
        int kept = removed.awaitUnreachable(deadline);
        if (kept > 0) {
            err.println("  warning: " + kept + " of the last strategy's " + removed.count() + " torrents are still reachable "
                    + QUIET_SECONDS + " s after the last run: the engine holds them, and heap/torrent of this run is taken"
                    + " with them alive (undercounted if they go during the run)");
        } else if (System.nanoTime() - waitFrom > TimeUnit.MILLISECONDS.toNanos(500)) {
            err.printf(Locale.ROOT, "  waited %.1f s for the engine to let go of the last run's %d torrents%n",
                    (System.nanoTime() - waitFrom) / 1e9, removed.count());
        }
        removed = Removed.NONE;
    }

    /**
     * Descriptors that may come and go beside the connections: storage and log files, a
     * tracker's or the fake peers' sockets in this process. Far below one strategy's
     * connections, so a tenth of them still open is seen.
     */
    private long descriptorSlack() {
        long inProcess = options.fork() ? 0 : swarm.connections();
        return 64 + options.connections() / 100 + inProcess;
    }

    /**
     * The peers dial each torrent once the engine accepts connections for it: after its
     * storage is open (state past CHECKING; the engine registers it with the transport
     * before it publishes that state), else the engine refuses the info-hash.
     */
    private void dialWhenReady(List<TorrentHandle> handles, long t0) throws InterruptedException {
        InetSocketAddress us = new InetSocketAddress("127.0.0.1", engine.listenPort());
        Map<InfoHash, TorrentHandle> pending = new HashMap<>();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(options.timeoutSeconds());
        states.listen();
        try {
            for (TorrentHandle h : handles) {
                if (open(h.stats().state())) {
                    swarm.dial(h.infoHash(), options.peers(), us);
                } else {
                    pending.put(h.infoHash(), h);
                }
            }
            while (!pending.isEmpty()) {
                failed(handles);
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException(pending.size() + " torrents still not open after "
                            + options.timeoutSeconds() + " s (--timeout)");
                }
                TorrentEvent e = states.next(left);
                if (e != null && open(e.state()) && pending.remove(e.infoHash()) != null) {
                    swarm.dial(e.infoHash(), options.peers(), us);
                }
            }
        } finally {
            states.stop();
        }
    }

    private static boolean open(TorrentState state) {
        return state == TorrentState.DOWNLOADING || state == TorrentState.SEEDING;
    }

    private void awaitCompletion(String strategy, List<TorrentHandle> handles, long t0) throws InterruptedException {
        CompletableFuture<Void> all = CompletableFuture.allOf(
                handles.stream().map(TorrentHandle::completion).toArray(CompletableFuture[]::new));
        long deadline = t0 + TimeUnit.SECONDS.toNanos(options.timeoutSeconds());
        while (true) {
            try {
                all.get(5, TimeUnit.SECONDS);
                return;
            } catch (TimeoutException e) {
                long complete = handles.stream().filter(h -> h.completion().isDone()).count();
                long peersNow = handles.stream().mapToInt(h -> h.stats().peers()).sum();
                double verified = handles.stream().mapToLong(h -> h.stats().verifiedBytes()).sum() / (double) (1 << 20);
                err.printf(Locale.ROOT, "  %s: %d of %d torrents complete, %.0f MiB verified, %d connections, %.0f s%n",
                        strategy, complete, handles.size(), verified, peersNow, (System.nanoTime() - t0) / 1e9);
                failed(handles);
                if (swarm.violation() != null) {
                    throw new IllegalStateException(strategy + ": " + swarm.violation());
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(strategy + ": " + (handles.size() - complete) + " of " + handles.size()
                            + " torrents not complete after " + options.timeoutSeconds() + " s (--timeout)");
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException(strategy + ": a download failed: " + e.getCause(), e.getCause());
            }
        }
    }

    private static void failed(List<TorrentHandle> handles) {
        for (TorrentHandle h : handles) {
            TorrentStats s = h.stats();
            if (s.state() == TorrentState.ERROR) {
                throw new IllegalStateException(s.name() + ": " + s.error().orElse("engine error"));
            }
        }
    }

    private Result result(String strategy, List<TorrentStats> stats, long wall, long[] download, long allocated, long idleNanos,
                          long idleCpu, int idlePeers, long heap, long fakeHeap, long churned, long[] gc, long[] pool) {
        long downloaded = 0;
        long acquisitions = 0;
        long wait = 0;
        long hold = 0;
        long handoffs = 0;
        int hashFailures = 0;
        long[] waitP50 = new long[stats.size()];
        long[] holdP50 = new long[stats.size()];
        long waitP99 = 0;
        long holdP99 = 0;
        for (int i = 0; i < stats.size(); i++) {
            TorrentStats s = stats.get(i);
            downloaded += s.downloaded();
            acquisitions += s.lockAcquisitions();
            wait += s.lockWaitNanos();
            hold += s.lockHoldNanos();
            handoffs += s.lockHandoffs();
            hashFailures += s.hashFailures();
            waitP50[i] = s.lockWaitP50Nanos();
            holdP50[i] = s.lockHoldP50Nanos();
            waitP99 = Math.max(waitP99, s.lockWaitP99Nanos());
            holdP99 = Math.max(holdP99, s.lockHoldP99Nanos());
        }
        long blocks = downloaded / Options.BLOCK;
        return new Result(strategy, stats.size(), wall, downloaded, blocks, acquisitions, wait, hold, median(waitP50),
                waitP99, median(holdP50), holdP99, download[ThreadCpu.Side.ENGINE.ordinal()], allocated,
                download[ThreadCpu.Side.PEERS.ordinal()], idleNanos, idleCpu, idlePeers, heap, fakeHeap, churned,
                hashFailures, gc[0], gc[1], pool[0], pool[1], handoffs);
    }

    /** Collections so far and their time (ms), over every collector of the JVM. */
    private static long[] gc() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, b.getCollectionCount());
            millis += Math.max(0, b.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }

    private void remove(List<TorrentHandle> handles) throws InterruptedException {
        List<CompletableFuture<Void>> removals = new ArrayList<>();
        for (TorrentHandle h : handles) {
            removals.add(h.remove(true));
        }
        try {
            CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            err.println("  warning: removing the torrents: " + e);
        }
    }
}
