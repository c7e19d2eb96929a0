package io.piecework.storage.file.internal;

import io.piecework.api.storage.StorageException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pool that hashes pieces. Each of its threads owns its digests and a read buffer, so
 * verifying a piece allocates nothing piece-sized, and no caller's thread ever hashes.
 */
final class Hashing implements AutoCloseable {
    static final int BUFFER_SIZE = 256 * 1024;

    /** Work that needs a hashing thread's digest and buffer. */
    interface Job<T> {
        T run(Worker worker) throws Exception;
    }

    /** A hashing thread with its own digest and buffer. */
    static final class Worker extends Thread {
        final MessageDigest sha1;
        /** Direct, so a file read lands in it with one copy; the digest then reads it in small chunks. */
        final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
        final byte[] digest = new byte[20];
        /** For v2 pieces (BEP 52): SHA-256 and the leaf hashes of one piece, grown on demand. */
        final MessageDigest sha256 = V2Pieces.sha256();
        private byte[] leaves = new byte[0];

        Worker(Runnable task, String name) {
            super(task, name);
            setDaemon(true);
            try {
                sha1 = MessageDigest.getInstance("SHA-1");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK always has SHA-1", e);
            }
        }

        /** A leaf buffer of at least {@code bytes}, this thread's own: 32 bytes per 16 KiB of piece. */
        byte[] leaves(int bytes) {
            if (leaves.length < bytes) {
                leaves = new byte[bytes];
            }
            return leaves;
        }
    }

    private final ExecutorService executor;

    Hashing(int threads, String name) {
        int n = threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(n, n, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                task -> new Worker(task, name + "-" + count.incrementAndGet()));
    }

    /** A queued job and the future it completes; kept so closing can fail what never ran. */
    private static final class Task<T> implements Runnable {
        final Job<T> job;
        final CompletableFuture<T> future;

        Task(Job<T> job, CompletableFuture<T> future) {
            this.job = job;
            this.future = future;
        }

        @Override
        public void run() {
            try {
                future.complete(job.run((Worker) Thread.currentThread()));
            } catch (Exception e) {
                future.completeExceptionally(e instanceof CompletionException c ? c.getCause() : e);
            }
        }
    }

    <T> CompletableFuture<T> submit(Job<T> job) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            executor.execute(new Task<>(job, future));
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(stopped());
        }
        return future;
    }

    private static StorageException stopped() {
        return new StorageException(StorageException.Kind.UNAVAILABLE, "the storage provider has stopped");
    }

    /** Resizes the pool (configuration changed); 0 means half the processors, as at start. */
    void threads(int threads) {
        int n = threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        ThreadPoolExecutor pool = (ThreadPoolExecutor) executor;
        if (n > pool.getMaximumPoolSize()) {
            pool.setMaximumPoolSize(n);
            pool.setCorePoolSize(n);
        } else {
            pool.setCorePoolSize(n);
            pool.setMaximumPoolSize(n);
        }
    }

    int threads() {
        return ((ThreadPoolExecutor) executor).getMaximumPoolSize();
    }

    /** Stops the threads; jobs still queued fail, so nobody waits for them forever. */
    @Override
    public void close() {
        for (Runnable queued : executor.shutdownNow()) {
            if (queued instanceof Task<?> task) {
                task.future.completeExceptionally(stopped());
            }
        }
    }
}
