package io.piecework.loadtest.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time per thread, sorted into the engine's threads and the fake peers'. The engine's
 * are the project's own ({@code piecework-*}: timer, disk, hashing, storage, strategies,
 * DHT, trackers) and Netty's event loops named by Netty's default factory (the wire
 * transport's and the DHT's, {@code multiThreadIoEventLoopGroup-*}); the fake peers' are
 * {@value FakeSwarm#THREADS}-*. Everything else (Felix, SCR, the thread running the load
 * test) is left out; so are GC and JIT, which are not Java threads. Bytes allocated per
 * thread come along where the JVM counts them ({@code com.sun.management}).
 */
final class ThreadCpu {
    enum Side { ENGINE, PEERS, OTHER }

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.ThreadMXBean allocation = allocationBean();

    ThreadCpu() {
        if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
    }

    private static com.sun.management.ThreadMXBean allocationBean() {
        try {
            if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean b
                    && b.isThreadAllocatedMemorySupported()) {
                b.setThreadAllocatedMemoryEnabled(true);
                return b;
            }
        } catch (LinkageError e) {
            // com.sun.management not visible: allocation stays unknown.
        }
        return null;
    }

    static Side side(String name) {
        if (name.startsWith(FakeSwarm.THREADS)) {
            return Side.PEERS;
        }
        if (name.startsWith("piecework-") || name.toLowerCase(java.util.Locale.ROOT).contains("eventloopgroup")) {
            return Side.ENGINE;
        }
        return Side.OTHER;
    }

    /** Thread ids to their pool's name, for {@link #byPool}. */
    private final Map<Long, String> pools = new java.util.concurrent.ConcurrentHashMap<>();

    /** Per live thread id: CPU nanos so far, its side, bytes allocated so far (-1 unknown). */
    Map<Long, long[]> snapshot() {
        Map<Long, long[]> result = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu >= 0) {
                long bytes = allocation == null ? -1 : allocation.getThreadAllocatedBytes(info.getThreadId());
                result.put(info.getThreadId(), new long[] {cpu, side(info.getThreadName()).ordinal(), bytes});
                pools.put(info.getThreadId(), pool(info.getThreadName()));
            }
        }
        return result;
    }

    /** Bytes the engine's threads allocated between two snapshots, or -1 when unknown. */
    static long engineAllocated(Map<Long, long[]> before, Map<Long, long[]> after) {
        long bytes = 0;
        for (Map.Entry<Long, long[]> e : after.entrySet()) {
            if (e.getValue()[1] != Side.ENGINE.ordinal()) {
                continue;
            }
            if (e.getValue()[2] < 0) {
                return -1;
            }
            long[] b = before.get(e.getKey());
            bytes += e.getValue()[2] - (b == null ? 0 : b[2]);
        }
        return bytes;
    }

    /** A thread's name without its number: {@code piecework-disk-2} is {@code piecework-disk}. */
    static String pool(String name) {
        return name.replaceAll("(-[0-9a-f]+)+$", "");
    }

    /** The engine's CPU nanos between two snapshots per pool, largest first. */
    java.util.List<Map.Entry<String, Long>> byPool(Map<Long, long[]> before, Map<Long, long[]> after) {
        Map<String, Long> sums = new HashMap<>();
        for (Map.Entry<Long, long[]> e : after.entrySet()) {
            if (e.getValue()[1] != Side.ENGINE.ordinal()) {
                continue;
            }
            long[] b = before.get(e.getKey());
            sums.merge(pools.getOrDefault(e.getKey(), "?"), e.getValue()[0] - (b == null ? 0 : b[0]), Long::sum);
        }
        java.util.List<Map.Entry<String, Long>> sorted = new java.util.ArrayList<>(sums.entrySet());
        sorted.sort((x, y) -> Long.compare(y.getValue(), x.getValue()));
        return sorted;
    }

    /** CPU nanos per side between two snapshots; a thread new in {@code after} counts from 0. */
    static long[] delta(Map<Long, long[]> before, Map<Long, long[]> after) {
        long[] bySide = new long[Side.values().length];
        for (Map.Entry<Long, long[]> e : after.entrySet()) {
            long[] b = before.get(e.getKey());
            bySide[(int) e.getValue()[1]] += e.getValue()[0] - (b == null ? 0 : b[0]);
        }
        return bySide;
    }
}
