package io.piecework.storage.file.internal;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.storage.StorageException;
import io.piecework.api.storage.StorageState;
import io.piecework.api.storage.TorrentStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every storage shares: bounds checks, the state machine, completion and verification on
 * the hashing pool. Subclasses move the bytes.
 */
abstract class BaseStorage implements TorrentStorage {
    private static final Logger LOG = LoggerFactory.getLogger(BaseStorage.class);

    protected final TorrentMetainfo metainfo;
    protected final Hashing hashing;
    private final byte[] hashes;
    /** For a v2-only torrent, which has no SHA-1 piece hashes: its Merkle trees; else null. */
    private final V2Pieces v2;
    private final RoaringBitmap completed = new RoaringBitmap();
    /**
     * Guarded by {@code completed}: pieces whose last verification failed on a disk error, or
     * whose check in {@link #verifyAll} has not settled them yet.
     */
    private final RoaringBitmap unsettled = new RoaringBitmap();
    private volatile StorageState state = StorageState.CHECKING;
    private volatile StorageException error;

    BaseStorage(TorrentMetainfo metainfo, Hashing hashing) {
        this.metainfo = metainfo;
        this.hashing = hashing;
        ByteBuffer all = metainfo.pieceHashes();
        this.hashes = new byte[all.remaining()];
        all.get(hashes);
        this.v2 = metainfo.version().hasV1() ? null : new V2Pieces(metainfo);
    }

    /**
     * Fills {@code into} with torrent bytes from {@code offset}. For hashing ({@code forHash})
     * missing data answers false instead of failing: a piece without its file is incomplete.
     */
    protected abstract boolean readRange(long offset, ByteBuffer into, boolean forHash) throws StorageException;

    protected abstract void writeRange(long offset, ByteBuffer from) throws StorageException;

    /** Called after a piece became complete or incomplete; the file storage saves it later. */
    protected void completionChanged() {
    }

    /** Called by {@link #retry()} before the storage is usable again. */
    protected void beforeRetry() {
    }

    @Override
    public TorrentMetainfo metainfo() {
        return metainfo;
    }

    @Override
    public void write(int piece, int offset, ByteBuffer block) throws StorageException {
        long at = position(piece, offset, block.remaining());
        ensure(StorageState.READY);
        try {
            writeRange(at, block);
        } catch (StorageException e) {
            throw fail(e);
        }
    }

    @Override
    public void write(int piece, int offset, ByteBuffer[] blocks, int from, int count) throws StorageException {
        long length = 0;
        for (int i = from; i < from + count; i++) {
            length += blocks[i].remaining();
        }
        long at = position(piece, offset, (int) Math.min(length, Integer.MAX_VALUE));
        ensure(StorageState.READY);
        try {
            writeRanges(at, blocks, from, count);
        } catch (StorageException e) {
            throw fail(e);
        }
    }

    /** Writes adjacent buffers from {@code offset}; the file storage gathers those in one file. */
    protected void writeRanges(long offset, ByteBuffer[] blocks, int from, int count) throws StorageException {
        for (int i = from; i < from + count; i++) {
            int n = blocks[i].remaining();
            writeRange(offset, blocks[i]);
            offset += n;
        }
    }

    @Override
    public void read(int piece, int offset, ByteBuffer into) throws StorageException {
        long at = position(piece, offset, into.remaining());
        ensure(StorageState.READY);
        try {
            readRange(at, into, false);
        } catch (StorageException e) {
            throw fail(e);
        }
    }

    @Override
    public CompletableFuture<Boolean> verify(int piece) {
        return verify(piece, null);
    }

    /**
     * Hashes {@code written} when it holds the whole piece: a received piece is still in the
     * engine's block buffers, and reading it back cost the hashing threads about a fifth of
     * their time (a copy from the page cache and a system call per 256 KiB).
     */
    @Override
    public CompletableFuture<Boolean> verify(int piece, ByteBuffer[] written) {
        Objects.checkIndex(piece, metainfo.pieceCount());
        StorageState now = state;
        if (now != StorageState.READY && now != StorageState.CHECKING) {
            return CompletableFuture.failedFuture(unavailable(now));
        }
        // A v2 piece is checked by its Merkle tree (v2.verify), which reads it back.
        ByteBuffer[] inMemory = v2 == null && holdsPiece(piece, written) ? written : null;
        return hashing.submit(worker -> {
            boolean ok = inMemory != null ? hash(worker, piece, inMemory) : hash(worker, piece);
            setComplete(piece, ok);
            return ok;
        }).whenComplete((ok, failure) -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause instanceof StorageException e) {
                // Neither verified nor refuted: remembered, so a retry checks it again and
                // a save marks its files as needing a check.
                synchronized (completed) {
                    unsettled.add(piece);
                }
                fail(e);
            }
        });
    }

    private boolean holdsPiece(int piece, ByteBuffer[] written) {
        if (written == null) {
            return false;
        }
        long bytes = 0;
        for (ByteBuffer b : written) {
            if (b == null) {
                return false;
            }
            bytes += b.remaining();
        }
        return bytes == metainfo.pieceSize(piece);
    }

    /** Hashes the piece from memory; the buffers' positions are left as they were. */
    private boolean hash(Hashing.Worker worker, int piece, ByteBuffer[] written) {
        worker.sha1.reset();
        for (ByteBuffer b : written) {
            int from = b.position();
            worker.sha1.update(b);
            b.position(from);
        }
        return matches(worker, piece);
    }

    @Override
    public boolean addPieceLayer(int file, byte[] layer) {
        return v2 != null && v2.addLayer(file, layer);
    }

    private boolean hash(Hashing.Worker worker, int piece) throws StorageException {
        if (v2 != null) {
            return v2.verify(worker, piece, (offset, into) -> readRange(offset, into, true));
        }
        long start = piece * metainfo.pieceLength();
        long size = metainfo.pieceSize(piece);
        worker.sha1.reset();
        ByteBuffer buffer = worker.buffer;
        for (long done = 0; done < size; ) {
            int n = (int) Math.min(buffer.capacity(), size - done);
            buffer.clear().limit(n);
            if (!readRange(start + done, buffer, true)) {
                return false;
            }
            buffer.flip();
            worker.sha1.update(buffer);
            done += n;
        }
        return matches(worker, piece);
    }

    private boolean matches(Hashing.Worker worker, int piece) {
        try {
            worker.sha1.digest(worker.digest, 0, InfoHash.LENGTH);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
        int from = piece * InfoHash.LENGTH;
        return Arrays.equals(worker.digest, 0, InfoHash.LENGTH, hashes, from, from + InfoHash.LENGTH);
    }

    /**
     * Verifies these pieces (all at once on the pool); completes when every one is done. Each piece
     * is unsettled until its hash settles it: once one check hits a disk error the storage refuses
     * the checks this loop has not submitted yet, and those pieces, never hashed, must still be
     * saved as "check again" (nothing already verified is lost), as must pieces pending at close.
     */
    CompletableFuture<Void> verifyAll(RoaringBitmap pieces) {
        StorageState now = state;
        if (now == StorageState.READY || now == StorageState.CHECKING) {
            unsettle(pieces);
        }
        CompletableFuture<?>[] all = new CompletableFuture<?>[pieces.getCardinality()];
        int i = 0;
        for (int piece : pieces) {
            all[i++] = verify(piece);
        }
        return CompletableFuture.allOf(all);
    }

    @Override
    public CompletableFuture<RoaringBitmap> recheck() {
        RoaringBitmap all = new RoaringBitmap();
        all.add(0L, metainfo.pieceCount());
        return verifyAll(all).thenApply(v -> completed());
    }

    void setComplete(int piece, boolean complete) {
        boolean changed;
        synchronized (completed) {
            unsettled.remove(piece);
            changed = complete ? completed.checkedAdd(piece) : completed.checkedRemove(piece);
        }
        if (changed) {
            completionChanged();
        }
    }

    /** Marks pieces as to be checked again until a hash settles them. */
    void unsettle(RoaringBitmap pieces) {
        synchronized (completed) {
            unsettled.or(pieces);
        }
    }

    void setAllComplete(RoaringBitmap pieces) {
        synchronized (completed) {
            completed.or(pieces);
        }
    }

    @Override
    public boolean isComplete(int piece) {
        synchronized (completed) {
            return completed.contains(piece);
        }
    }

    @Override
    public int completedCount() {
        synchronized (completed) {
            return completed.getCardinality();
        }
    }

    @Override
    public RoaringBitmap completed() {
        synchronized (completed) {
            return completed.clone();
        }
    }

    /** Pieces whose verification failed on a disk error or is still pending: to be checked again. */
    RoaringBitmap unsettled() {
        synchronized (completed) {
            return unsettled.clone();
        }
    }

    @Override
    public StorageState state() {
        return state;
    }

    void state(StorageState next) {
        state = next;
    }

    @Override
    public Optional<StorageException> error() {
        return Optional.ofNullable(error);
    }

    @Override
    public void retry() {
        if (state == StorageState.ERROR) {
            beforeRetry();
            error = null;
            state = StorageState.READY;
            LOG.info("{}: retrying after error", metainfo);
            verifyAll(unsettled());
        }
    }

    /** Puts the storage in ERROR (unless it is closed or the call was merely refused). */
    StorageException fail(StorageException e) {
        if (e.kind() == StorageException.Kind.UNAVAILABLE) {
            return e;
        }
        synchronized (this) {
            if (state != StorageState.CLOSED && state != StorageState.ERROR) {
                error = e;
                state = StorageState.ERROR;
                // Info: the engine puts the torrent in ERROR with this message, which is what users see.
                LOG.info("{}: stopped by a disk error: {}", metainfo, e.getMessage());
            }
        }
        return e;
    }

    void ensure(StorageState wanted) throws StorageException {
        StorageState now = state;
        if (now != wanted) {
            throw unavailable(now);
        }
    }

    StorageException unavailable(StorageState now) {
        String why = now == StorageState.ERROR && error != null ? ": " + error.getMessage() : "";
        return new StorageException(StorageException.Kind.UNAVAILABLE,
                metainfo + ": storage is " + now.name().toLowerCase(java.util.Locale.ROOT) + why);
    }

    long position(int piece, int offset, int length) {
        Objects.checkIndex(piece, metainfo.pieceCount());
        if (offset < 0 || offset + (long) length > metainfo.pieceSize(piece)) {
            throw new IllegalArgumentException("block " + offset + "+" + length + " is outside piece " + piece
                    + " of " + metainfo.pieceSize(piece) + " bytes");
        }
        return piece * metainfo.pieceLength() + offset;
    }

    static StorageException io(String message, IOException cause) {
        return new StorageException(StorageException.Kind.IO, message, cause);
    }
}
