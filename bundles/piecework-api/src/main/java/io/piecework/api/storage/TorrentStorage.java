package io.piecework.api.storage;

import io.piecework.api.metainfo.TorrentMetainfo;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;
import org.roaringbitmap.RoaringBitmap;

/**
 * One open torrent's data. Reads and writes are positional and thread-safe; they run on the
 * caller's thread (the engine calls them from its disk pool). Verification runs on the
 * provider's hashing pool. Once a disk error puts the storage in {@link StorageState#ERROR},
 * writes fail fast until {@link #retry()}; verified pieces are never forgotten.
 */
@ProviderType
public interface TorrentStorage extends AutoCloseable {
    TorrentMetainfo metainfo();

    /** The folder holding the torrent's files (for a single-file torrent, the download folder). */
    Path location();

    /** Writes {@code block}'s remaining bytes at {@code offset} within {@code piece}. */
    void write(int piece, int offset, ByteBuffer block) throws StorageException;

    /**
     * Writes {@code count} adjacent blocks, {@code blocks[from]} at {@code offset} within
     * {@code piece} and each next one right after it, their remaining bytes each: as one
     * write where the provider can (a file provider gathers them into one system call).
     */
    default void write(int piece, int offset, ByteBuffer[] blocks, int from, int count) throws StorageException {
        for (int i = from; i < from + count; i++) {
            int length = blocks[i].remaining();
            write(piece, offset, blocks[i]);
            offset += length;
        }
    }

    /** Fills {@code into}'s remaining bytes from {@code offset} within {@code piece}. */
    void read(int piece, int offset, ByteBuffer into) throws StorageException;

    /**
     * The block as a range of one open file, to send without copying, or empty when it has no
     * such range (it spans two files or padding, or the provider keeps no files). Only for
     * pieces already verified. Close what it returns once the block is sent.
     */
    default Optional<FileBlock> fileBlock(int piece, int offset, int length) throws StorageException {
        return Optional.empty();
    }

    /**
     * Hashes the piece on the hashing pool and completes with whether it matches the torrent.
     * A match marks the piece complete and schedules the completion to be saved; a mismatch
     * leaves it incomplete. Fails with a {@link StorageException} on a disk error.
     */
    CompletableFuture<Boolean> verify(int piece);

    /**
     * {@link #verify(int)} with the piece's bytes still in memory as they were written:
     * {@code written}'s remaining bytes, in order, are the whole piece. A provider may hash them
     * instead of reading the piece back from its files (a copy and a system call per read); the
     * caller leaves them unchanged until the future completes. Any other length is ignored and
     * the piece is read back.
     */
    default CompletableFuture<Boolean> verify(int piece, ByteBuffer[] written) {
        return verify(piece);
    }

    /**
     * Gives a v2-only torrent the piece layer of file {@code file} (index into the metainfo's
     * files) learnt after opening, e.g. from peers' BEP 52 hashes messages; until a file of more
     * than one piece has its layer, its pieces verify as false.
     *
     * @return whether it was taken: false when it does not hash to the file's pieces root, or
     *         the torrent is not v2-only, or the storage does not verify by v2 hashes
     */
    default boolean addPieceLayer(int file, byte[] layer) {
        return false;
    }

    /** Verifies every piece again and completes with the pieces that matched. */
    CompletableFuture<RoaringBitmap> recheck();

    boolean isComplete(int piece);

    int completedCount();

    /** A copy of the completed pieces, the caller's to keep. */
    RoaringBitmap completed();

    StorageState state();

    /** Why the storage is in {@link StorageState#ERROR}: one line for the user. */
    Optional<StorageException> error();

    /** Leaves {@link StorageState#ERROR} after the cause was fixed; files are reopened on use. */
    void retry();

    /**
     * Moves the data to {@code downloadDir} (copy, then delete the originals). Calling it again
     * after a failure or crash continues: files already copied are not copied again.
     */
    CompletableFuture<Void> move(Path downloadDir);

    /** Closes the storage and forgets its saved completion; deletes its files when asked. */
    CompletableFuture<Void> remove(boolean deleteData);

    /** Saves completion and closes files. Idempotent. */
    @Override
    void close();
}
