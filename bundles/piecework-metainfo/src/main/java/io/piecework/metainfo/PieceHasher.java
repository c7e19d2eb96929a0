package io.piecework.metainfo;

import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.InfoHash;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hashes the pieces of files laid end to end; a null path stands for a pad file of zeros. Workers take whole pieces from a shared counter,
 * read them with positional reads (so files are shared without locks) into one reused buffer
 * per worker and feed one reused digest per worker: the hot loop allocates nothing.
 */
final class PieceHasher {
    /** Reads of up to 1 MiB: large enough to amortise syscalls, small enough for any piece length. */
    private static final int CHUNK = 1 << 20;
    /** Read-only source of pad-file bytes. */
    private static final byte[] ZEROS = new byte[CHUNK];
    private static final long WINDOW = 256L << 20;
    private static final long REPORT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private final Path[] paths;
    private final long[] offsets;
    private final long[] lengths;
    private final long total;
    private final int pieceLength;
    private final int pieceCount;
    private final byte[] hashes;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong hashed = new AtomicLong();
    private final AtomicLong nextReport = new AtomicLong();
    private final AtomicBoolean failed = new AtomicBoolean();
    private final Object reportLock = new Object();
    private long reported;
    private CreateProgress progress = CreateProgress.NONE;

    PieceHasher(Path[] paths, long[] lengths, int pieceLength) {
        this.paths = paths.clone();
        this.lengths = lengths.clone();
        this.offsets = new long[lengths.length];
        long sum = 0;
        for (int i = 0; i < lengths.length; i++) {
            offsets[i] = sum;
            sum += lengths[i];
        }
        this.total = sum;
        this.pieceLength = pieceLength;
        long count = (total + pieceLength - 1) / pieceLength;
        if (count * InfoHash.LENGTH > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException(count + " pieces are too many; choose a larger piece length");
        }
        this.pieceCount = (int) count;
        this.hashes = new byte[pieceCount * InfoHash.LENGTH];
    }

    /** Hashes every piece on {@code threads} threads and returns the concatenated SHA-1s. */
    byte[] hash(int threads, CreateProgress progress) throws IOException {
        this.progress = progress;
        nextReport.set(System.nanoTime()); // nanoTime has an arbitrary origin: start from now
        int n = Math.max(1, Math.min(threads, pieceCount));
        AtomicInteger id = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "piecework-hash-" + id.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> workers = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                workers.add(pool.submit(this::work));
            }
            IOException first = null;
            for (Future<?> w : workers) {
                try {
                    w.get();
                } catch (ExecutionException e) {
                    failed.set(true);
                    if (first == null) {
                        first = e.getCause() instanceof UncheckedIOException u ? u.getCause()
                                : new IOException("hashing failed: " + e.getCause(), e.getCause());
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        } catch (InterruptedException e) {
            failed.set(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        } finally {
            pool.shutdownNow();
            awaitQuietly(pool);
        }
        report(true);
        return hashes;
    }

    private void work() {
        // Hash straight from a read-only mapping of the file: no read() copy at all (a heap
        // buffer would even be filled through a hidden temporary direct buffer). One window
        // of at most WINDOW bytes is mapped per file at a time and reused while the pieces
        // this worker takes stay inside it.
        java.nio.MappedByteBuffer window = null;
        long windowStart = -1;
        MessageDigest md = sha1();
        FileChannel ch = null;
        int open = -1;
        try {
            for (int piece = next.getAndIncrement(); piece < pieceCount && !failed.get();
                 piece = next.getAndIncrement()) {
                long pos = (long) piece * pieceLength;
                long end = Math.min(pos + pieceLength, total);
                int f = fileAt(pos);
                while (pos < end) {
                    while (pos >= offsets[f] + lengths[f]) {
                        f++;
                    }
                    if (paths[f] == null) {
                        // A pad file (hybrid torrents): zeros that never exist on disk.
                        int len = (int) Math.min(CHUNK, Math.min(end, offsets[f] + lengths[f]) - pos);
                        md.update(ZEROS, 0, len);
                        pos += len;
                        continue;
                    }
                    if (open != f) {
                        if (ch != null) {
                            ch.close();
                        }
                        ch = FileChannel.open(paths[f], StandardOpenOption.READ);
                        open = f;
                        window = null;
                    }
                    long at = pos - offsets[f];
                    int len = (int) Math.min(CHUNK, Math.min(end, offsets[f] + lengths[f]) - pos);
                    if (window == null || at < windowStart || at + len > windowStart + window.capacity()) {
                        if (ch.size() < at + len) {
                            throw new IOException("file " + paths[f] + " became shorter than " + lengths[f]
                                    + " bytes while it was hashed");
                        }
                        windowStart = at;
                        window = ch.map(FileChannel.MapMode.READ_ONLY, at, Math.min(WINDOW, lengths[f] - at));
                    }
                    int from = (int) (at - windowStart);
                    md.update(window.duplicate().position(from).limit(from + len));
                    pos += len;
                }
                md.digest(hashes, piece * InfoHash.LENGTH, InfoHash.LENGTH);
                hashed.addAndGet(end - (long) piece * pieceLength);
                long now = System.nanoTime();
                long due = nextReport.get();
                if (now - due >= 0 && nextReport.compareAndSet(due, now + REPORT_NANOS)) {
                    report(false);
                }
            }
        } catch (IOException e) {
            failed.set(true);
            String file = open >= 0 ? paths[open].toString() : "a file";
            throw new UncheckedIOException(new IOException("cannot hash " + file + ": " + e.getMessage(), e));
        } catch (InternalError e) {
            // A mapped file cut short under us faults on access; the JVM reports it this way.
            failed.set(true);
            String file = open >= 0 ? paths[open].toString() : "a file";
            throw new UncheckedIOException(new IOException("cannot hash " + file
                    + ": it changed while it was hashed", e));
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        } finally {
            closeQuietly(ch);
        }
    }

    /** The first file holding byte {@code pos} (skipping empty files at the same offset). */
    private int fileAt(long pos) {
        int i = Arrays.binarySearch(offsets, pos);
        if (i < 0) {
            return -i - 2;
        }
        while (i > 0 && offsets[i - 1] == pos) {
            i--; // binarySearch may land on any of several empty files sharing the offset
        }
        return i;
    }

    /** One report at a time, never going backwards; the final one always says total. */
    private void report(boolean last) {
        synchronized (reportLock) {
            long done = last ? total : hashed.get();
            if (done > reported) {
                reported = done;
                progress.hashed(done, total);
            }
        }
    }

    int pieceCount() {
        return pieceCount;
    }

    static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // read-only channel: nothing was written that could be lost
            }
        }
    }

    private static void awaitQuietly(ExecutorService pool) {
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
