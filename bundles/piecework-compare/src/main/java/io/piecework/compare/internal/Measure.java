package io.piecework.compare.internal;

import io.piecework.api.strategy.RequestStrategy;
import io.piecework.compare.DurationHistogram;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Map;

/**
 * Runs one strategy through a scenario: build the swarm, warm up, measure while downloading,
 * make every torrent idle, measure the heap and the idle CPU, close the pickers and measure
 * the heap they leave behind.
 */
final class Measure {
    private static final long SAMPLE_MILLIS = 100;
    private static final long SETTLE_MILLIS = 500;
    private final ThreadCost cost = new ThreadCost();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    Result run(String name, RequestStrategy strategy, Scenario scenario) throws InterruptedException {
        long heapBefore = usedHeapAfterGc();
        Swarm swarm = new Swarm(scenario, strategy, false);
        try {
            swarm.start("piecework-compare-" + name + "-");
            Thread.sleep(millis(scenario.warmupSeconds()));

            long acquisitionsBefore = swarm.resetLocks();
            Map<Long, long[]> threadsBefore = cost.snapshot();
            long updatesBefore = swarm.updates();
            long blocksBefore = swarm.blocksDelivered();
            long start = System.nanoTime();
            long end = start + (long) (scenario.seconds() * 1e9);
            double inFlightSum = 0;
            int samples = 0;
            for (long now = start; now < end; now = System.nanoTime()) {
                Thread.sleep(Math.min(SAMPLE_MILLIS, Math.max(1, (end - now) / 1_000_000)));
                inFlightSum += swarm.blocksInFlight();
                samples++;
            }
            long updates = swarm.updates() - updatesBefore;
            long blocks = swarm.blocksDelivered() - blocksBefore;
            long[] spent = ThreadCost.delta(threadsBefore, cost.snapshot());
            DurationHistogram waits = new DurationHistogram();
            DurationHistogram holds = new DurationHistogram();
            long acquisitions = swarm.collectLocks(waits, holds) - acquisitionsBefore;
            double wall = (System.nanoTime() - start) / 1e9;

            swarm.goIdle();
            Thread.sleep(SETTLE_MILLIS);
            long heapIdle = usedHeapAfterGc();
            double heapPerTorrent = (double) (heapIdle - heapBefore) / scenario.torrents();
            long requestedBefore = swarm.blocksRequested();
            Map<Long, long[]> idleBefore = cost.snapshot();
            long idleStart = System.nanoTime();
            Thread.sleep(millis(scenario.idleSeconds()));
            long[] idleSpent = ThreadCost.delta(idleBefore, cost.snapshot());
            double idleWall = (System.nanoTime() - idleStart) / 1e9;
            long idleRequests = swarm.blocksRequested() - requestedBefore;

            // What the strategy itself keeps: the heap it frees when its pickers go.
            swarm.close();
            double strategyHeap = Math.max(0.0, heapIdle - usedHeapAfterGc()) / scenario.torrents();

            double perUpdate = Math.max(1, updates);
            return new Result(name, updates, updates / wall, spent[0] / perUpdate,
                    spent[1] < 0 ? -1 : spent[1] / perUpdate, acquisitions / wall,
                    waits.percentile(50), waits.percentile(99), holds.percentile(50), holds.percentile(99),
                    100.0 * waits.sum() / (wall * 1e9), samples == 0 ? 0 : inFlightSum / samples, blocks / wall,
                    100.0 * idleSpent[0] / (idleWall * 1e9), heapPerTorrent, strategyHeap, idleRequests);
        } finally {
            swarm.close();
        }
    }

    private long usedHeapAfterGc() throws InterruptedException {
        // Two collections: the first may only queue finalizable and weakly held objects.
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static long millis(double seconds) {
        return Math.round(seconds * 1000);
    }
}
