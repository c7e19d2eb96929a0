package io.piecework.core.internal;

import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.storage.StorageException;
import io.piecework.api.storage.StorageState;
import io.piecework.api.storage.TorrentStorage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.roaringbitmap.RoaringBitmap;

/**
 * Storage that keeps nothing: counts writes, answers verification from a set of pieces the test
 * declares bad, and fails writes after it was closed as a closed file would.
 */
final class MemoryStorage implements TorrentStorage {
    private final TorrentMetainfo metainfo;
    final Set<Integer> badPieces = ConcurrentHashMap.newKeySet();
    final AtomicInteger writes = new AtomicInteger();
    volatile boolean closed;
    /** Writes wait for this, so a test can hold them in the disk pool. */
    volatile CompletableFuture<Void> writeGate = CompletableFuture.completedFuture(null);

    /** Piece bytes written, when kept (else writes are dropped and reads give what the buffer had). */
    private final Map<Integer, byte[]> kept;

    MemoryStorage(TorrentMetainfo metainfo) {
        this(metainfo, false);
    }

    /** With {@code keep}, writes are kept, reads return them (zeros elsewhere), and verify checks the real hash. */
    MemoryStorage(TorrentMetainfo metainfo, boolean keep) {
        this.metainfo = metainfo;
        this.kept = keep ? new ConcurrentHashMap<>() : null;
    }

    @Override
    public TorrentMetainfo metainfo() {
        return metainfo;
    }

    @Override
    public Path location() {
        return Path.of("memory");
    }

    @Override
    public void write(int piece, int offset, ByteBuffer block) throws StorageException {
        try {
            writeGate.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new StorageException(StorageException.Kind.IO, "write gate: " + e);
        }
        if (closed) {
            throw new StorageException(StorageException.Kind.UNAVAILABLE, "closed");
        }
        if (kept != null) {
            block.get(kept.computeIfAbsent(piece, k -> new byte[(int) metainfo.pieceSize(piece)]), offset,
                    block.remaining());
        }
        block.position(block.limit());
        writes.incrementAndGet();
    }

    /** Each call of the run write: "piece offset blocks". */
    final List<String> runs = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void write(int piece, int offset, ByteBuffer[] blocks, int from, int count) throws StorageException {
        runs.add(piece + " " + offset + " " + count);
        TorrentStorage.super.write(piece, offset, blocks, from, count);
    }

    @Override
    public void read(int piece, int offset, ByteBuffer into) throws StorageException {
        if (kept != null) {
            byte[] data = kept.getOrDefault(piece, new byte[(int) metainfo.pieceSize(piece)]);
            into.put(data, offset, into.remaining());
            return;
        }
        into.position(into.limit());
    }

    @Override
    public CompletableFuture<Boolean> verify(int piece) {
        if (kept != null) {
            byte[] data = kept.getOrDefault(piece, new byte[(int) metainfo.pieceSize(piece)]);
            try {
                byte[] sha1 = java.security.MessageDigest.getInstance("SHA-1").digest(data);
                return CompletableFuture.completedFuture(java.util.Arrays.equals(sha1, metainfo.pieceHash(piece)));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return CompletableFuture.completedFuture(!badPieces.contains(piece));
    }

    /** Per verified piece, the first byte of each block it was given to hash from memory. */
    final Map<Integer, List<Byte>> hashedFromMemory = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<Boolean> verify(int piece, ByteBuffer[] written) {
        if (written != null) {
            List<Byte> firsts = new ArrayList<>();
            for (ByteBuffer b : written) {
                firsts.add(b == null || !b.hasRemaining() ? null : b.get(b.position()));
            }
            hashedFromMemory.put(piece, firsts);
        }
        return verify(piece);
    }

    @Override
    public CompletableFuture<RoaringBitmap> recheck() {
        return CompletableFuture.completedFuture(new RoaringBitmap());
    }

    @Override
    public boolean isComplete(int piece) {
        return false;
    }

    @Override
    public int completedCount() {
        return 0;
    }

    @Override
    public RoaringBitmap completed() {
        return new RoaringBitmap();
    }

    @Override
    public StorageState state() {
        return closed ? StorageState.CLOSED : StorageState.READY;
    }

    @Override
    public Optional<StorageException> error() {
        return Optional.empty();
    }

    @Override
    public void retry() {
    }

    @Override
    public CompletableFuture<Void> move(Path downloadDir) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> remove(boolean deleteData) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        closed = true;
    }
}
