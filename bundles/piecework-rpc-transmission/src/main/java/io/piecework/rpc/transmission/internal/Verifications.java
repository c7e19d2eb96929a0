package io.piecework.rpc.transmission.internal;

import io.piecework.api.engine.TorrentHandle;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * torrent-verify's queue: one check at a time, in the order asked (as Transmission: hashing
 * several torrents at once only makes the disk seek between them). While a torrent waits or is
 * checked its entry says so, and torrent-get shows Transmission's status 1 (check-wait) or 2
 * (checking) instead of the stopped torrent the engine reports during a check.
 */
final class Verifications {
    private static final Logger LOG = LoggerFactory.getLogger(Verifications.class);

    /** Transmission's status values an entry shows while queued here; NONE when it is not. */
    static final int NONE = -1;
    static final int CHECK_WAIT = 1;
    static final int CHECKING = 2;

    private record Job(TorrentBook.Entry entry, TorrentHandle handle, CompletableFuture<Void> done) {
    }

    private final Queue<Job> waiting = new ArrayDeque<>();
    private boolean running;

    /** Queues a check; completes when it is done (at once if the torrent is already waiting or being checked). */
    CompletableFuture<Void> verify(TorrentBook.Entry entry, TorrentHandle handle) {
        Job job;
        synchronized (this) {
            if (entry.verifyStatus != NONE) {
                return CompletableFuture.completedFuture(null);
            }
            job = new Job(entry, handle, new CompletableFuture<>());
            entry.verifyStatus = CHECK_WAIT;
            waiting.add(job);
            if (running) {
                return job.done();
            }
            running = true;
        }
        next();
        return job.done();
    }

    /**
     * Runs the waiting checks in turn: the next starts on the thread that finished the last one.
     * A check done at once (a failure) is followed in this loop, not by recursion, so a long
     * queue of those cannot run the stack out.
     */
    private void next() {
        while (true) {
            Job job;
            synchronized (this) {
                job = waiting.poll();
                if (job == null) {
                    running = false;
                    return;
                }
                job.entry().verifyStatus = CHECKING;
            }
            CompletableFuture<Void> check;
            try {
                check = job.handle().verify();
            } catch (RuntimeException e) {
                check = CompletableFuture.failedFuture(e);
            }
            if (!check.isDone()) {
                check.whenComplete((v, failure) -> {
                    finish(job, failure);
                    next();
                });
                return;
            }
            Throwable failure = null;
            try {
                check.join();
            } catch (RuntimeException e) {
                failure = e.getCause() != null ? e.getCause() : e;
            }
            finish(job, failure);
        }
    }

    private static void finish(Job job, Throwable failure) {
        job.entry().verifyStatus = NONE;
        if (failure != null) {
            LOG.warn("torrent-verify of {} failed: {}", job.entry().infoHash.hex(), failure.toString());
            job.done().completeExceptionally(failure);
        } else {
            job.done().complete(null);
        }
    }
}
