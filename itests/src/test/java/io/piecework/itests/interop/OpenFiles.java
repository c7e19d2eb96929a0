package io.piecework.itests.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

/**
 * Samples this process's open file descriptors ({@code /proc/self/fd}, Linux) on a daemon
 * thread and keeps the largest count seen, less what the caller says is not the subject's
 * (descriptors the test's own attacker holds). A sample that cannot be taken (the process ran
 * out of descriptors, say) is remembered as a failure.
 */
final class OpenFiles implements AutoCloseable {
    private static final Path FDS = Path.of("/proc/self/fd");
    private static final long EVERY_MILLIS = 20;

    private final AtomicInteger max = new AtomicInteger();
    private final AtomicInteger samples = new AtomicInteger();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "open-files-sampler");
        t.setDaemon(true);
        return t;
    });
    private volatile String failure;

    /** @param notTheSubject descriptors to leave out of each sample, read right after it */
    OpenFiles(int baseline, IntSupplier notTheSubject) {
        sampler.scheduleAtFixedRate(() -> {
            try {
                int subject = count() - baseline - notTheSubject.getAsInt();
                max.accumulateAndGet(subject, Math::max);
                samples.incrementAndGet();
            } catch (IOException | RuntimeException e) {
                if (failure == null) {
                    failure = e.toString();
                }
            }
        }, 0, EVERY_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Open descriptors of this process now. */
    static int count() throws IOException {
        try (Stream<Path> fds = Files.list(FDS)) {
            return (int) fds.count();
        }
    }

    /** The most seen in one sample so far. */
    int max() {
        return max.get();
    }

    int samples() {
        return samples.get();
    }

    /** Why the first sample that could not be taken failed, or null. */
    String failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        sampler.shutdownNow();
        sampler.awaitTermination(5, TimeUnit.SECONDS);
    }
}
