package io.piecework.compare.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time and bytes allocated by the project's threads (named {@code piecework-*}: the
 * comparison's workers and the strategies' own timers), summed. JVM threads (JIT, GC) and the
 * framework's are left out, as is the thread measuring.
 */
final class ThreadCost {
    private static final String PREFIX = "piecework-";
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.ThreadMXBean allocation = allocationBean();

    /** Totals so far per thread id: {cpu nanos, bytes allocated (-1 when unknown)}. */
    Map<Long, long[]> snapshot() {
        Map<Long, long[]> result = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null || !info.getThreadName().startsWith(PREFIX)
                    || info.getThreadId() == Thread.currentThread().getId()) {
                continue;
            }
            long id = info.getThreadId();
            long cpu = threads.getThreadCpuTime(id);
            long bytes = allocation == null ? -1 : allocation.getThreadAllocatedBytes(id);
            if (cpu >= 0) {
                result.put(id, new long[] {cpu, bytes});
            }
        }
        return result;
    }

    /** {cpu nanos, bytes} spent between two snapshots; a thread new in {@code after} counts from 0. */
    static long[] delta(Map<Long, long[]> before, Map<Long, long[]> after) {
        long cpu = 0;
        long bytes = 0;
        boolean bytesKnown = true;
        for (Map.Entry<Long, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            cpu += e.getValue()[0] - b[0];
            if (e.getValue()[1] < 0) {
                bytesKnown = false;
            }
            bytes += e.getValue()[1] - b[1];
        }
        return new long[] {cpu, bytesKnown ? bytes : -1};
    }

    private static com.sun.management.ThreadMXBean allocationBean() {
        try {
            Object bean = ManagementFactory.getThreadMXBean();
            if (bean instanceof com.sun.management.ThreadMXBean b && b.isThreadAllocatedMemorySupported()) {
                b.setThreadAllocatedMemoryEnabled(true);
                return b;
            }
        } catch (LinkageError e) {
            // Not a HotSpot-like JVM, or com.sun.management not visible: bytes stay unknown.
        }
        return null;
    }
}
