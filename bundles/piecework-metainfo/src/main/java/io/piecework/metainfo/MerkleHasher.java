package io.piecework.metainfo;

import io.piecework.api.metainfo.CreateProgress;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hashes files for BEP 52: SHA-256 of each 16 KiB block, one piece at a time, so only the
 * piece layer (32 bytes per piece) is kept, never every leaf of a large file. Files are
 * shared out to {@code threads} workers, one file each at a time.
 */
final class MerkleHasher {
    /** The pieces root and piece layer of one file (both null for an empty file; layer null for one piece). */
    record FileHashes(byte[] root, byte[] layer) {
    }

    private final Path[] paths;
    private final long[] lengths;
    private final int pieceLength;
    private final AtomicLong hashed = new AtomicLong();

    MerkleHasher(Path[] paths, long[] lengths, int pieceLength) {
        this.paths = paths.clone();
        this.lengths = lengths.clone();
        this.pieceLength = pieceLength;
    }

    FileHashes[] hash(int threads, CreateProgress progress, long total) throws IOException {
        FileHashes[] out = new FileHashes[paths.length];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger id = new AtomicInteger();
        int n = Math.max(1, Math.min(threads, paths.length));
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "piecework-merkle-" + id.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> workers = new ArrayList<>(n);
            for (int w = 0; w < n; w++) {
                workers.add(pool.submit(() -> {
                    for (int f = next.getAndIncrement(); f < paths.length; f = next.getAndIncrement()) {
                        out[f] = file(f, progress, total);
                    }
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        } catch (ExecutionException e) {
            next.set(paths.length); // stop the other workers at their next file
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw new IOException("hashing failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return out;
    }

    private FileHashes file(int f, CreateProgress progress, long total) {
        long length = lengths[f];
        if (length == 0) {
            return new FileHashes(null, null);
        }
        int perPiece = pieceLength / Merkle.BLOCK;
        long pieces = (length + pieceLength - 1) / pieceLength;
        byte[] leaves = new byte[perPiece * Merkle.HASH];
        byte[] layer = new byte[Math.toIntExact(pieces * Merkle.HASH)];
        byte[] zero = new byte[Merkle.HASH];
        MessageDigest sha = Merkle.sha256();
        ByteBuffer block = ByteBuffer.allocate(Merkle.BLOCK);
        try (FileChannel ch = FileChannel.open(paths[f], StandardOpenOption.READ)) {
            long pos = 0;
            int count = 0;
            for (long p = 0; p < pieces; p++) {
                count = 0;
                long end = Math.min(length, pos + pieceLength);
                while (pos < end) {
                    block.clear().limit((int) Math.min(Merkle.BLOCK, end - pos));
                    while (block.hasRemaining()) {
                        if (ch.read(block, pos + block.position()) < 0) {
                            throw new IOException("file " + paths[f] + " became shorter than " + length
                                    + " bytes while it was hashed");
                        }
                    }
                    sha.update(block.flip());
                    sha.digest(leaves, count * Merkle.HASH, Merkle.HASH);
                    count++;
                    pos += block.limit();
                }
                if (pieces > 1) {
                    // Every piece's subtree has perPiece leaves, the last padded with zero hashes.
                    System.arraycopy(Merkle.root(leaves, count, perPiece, zero), 0, layer, (int) p * Merkle.HASH,
                            Merkle.HASH);
                }
                synchronized (hashed) { // reports in order, never going backwards
                    progress.hashed(hashed.addAndGet(end - p * pieceLength), total);
                }
            }
            if (pieces == 1) {
                // A file of one piece: its root is the tree of its own leaves, and it has no layer.
                return new FileHashes(Merkle.root(leaves, count, zero), null);
            }
            return new FileHashes(Merkle.rootFromLayer(layer, (int) pieces, pieceLength), layer);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot hash " + paths[f] + ": " + e.getMessage(), e));
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
    }
}
