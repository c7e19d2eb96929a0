package io.piecework.storage.file.internal;

import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.storage.FileBlock;
import io.piecework.api.storage.StorageException;
import io.piecework.api.storage.StorageState;
import io.piecework.api.storage.TorrentStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A torrent's data in files below its folder, with its completion saved in the resume folder. */
final class FileStorage extends BaseStorage {
    private static final Logger LOG = LoggerFactory.getLogger(FileStorage.class);
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();

    private final FileStorageProvider provider;
    private final FileIo io;
    private final AtomicBoolean saveScheduled = new AtomicBoolean();
    private final Object saveLock = new Object();
    private volatile FileLayout layout;
    /** Per file: parent folders exist and were checked to lie inside the torrent's folder. */
    private volatile boolean[] placed;
    /**
     * The resume file has been read into completion (trusted pieces complete, the rest to check
     * unsettled). Before that a close must not save: it would write an empty completion over it.
     */
    private volatile boolean loaded;

    FileStorage(FileStorageProvider provider, FileLayout layout, Hashing hashing) {
        super(layout.metainfo(), hashing);
        this.provider = provider;
        this.io = new FileIo(provider.handles(), provider.settings().preallocate());
        this.layout = layout;
        this.placed = new boolean[layout.fileCount()];
    }

    @Override
    public java.nio.file.Path location() {
        return layout.root();
    }

    FileLayout layout() {
        return layout;
    }

    /** Checks stored completion against the files, then becomes READY. */
    CompletableFuture<TorrentStorage> start() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                createEmptyFiles(layout);
                return piecesToVerify();
            } catch (StorageException e) {
                throw new CompletionException(e);
            }
        }, provider.io()).thenCompose(pieces -> verifyAll(pieces).handle((v, failure) -> v)).thenApplyAsync(v -> {
            // A disk error while checking leaves the storage in ERROR, open, for the engine to see.
            synchronized (this) {
                if (state() == StorageState.CHECKING) {
                    state(StorageState.READY);
                }
            }
            if (state() != StorageState.CLOSED) {
                saveNow(); // once closed, close() saved and another storage may own the file
                if (state() == StorageState.READY) {
                    removeLegacyState(layout);
                }
            }
            LOG.info("{}: open with {} of {} pieces complete", metainfo, completedCount(), metainfo.pieceCount());
            return (TorrentStorage) this;
        }, provider.io());
    }

    /** Trusts saved pieces whose files are unchanged; everything else that may hold data is hashed. */
    private RoaringBitmap piecesToVerify() throws StorageException {
        SavedState saved = null;
        try {
            saved = SavedState.read(stateFile(layout)).orElse(null);
        } catch (IOException e) {
            LOG.warn("{}: ignoring resume data {}: {}", metainfo, stateFile(layout), e.getMessage());
        }
        if (saved == null && StateLocation.hasLegacy(layout.downloadDir(), metainfo.infoHash())) {
            // Anything could have written it (a torrent whose top folder is ".piecework"):
            // not trusted; the data on disk is checked as if there were no record at all.
            LOG.info("{}: not trusting old resume data {}, checking the files instead", metainfo,
                    StateLocation.legacyFile(layout.downloadDir(), metainfo.infoHash()));
        }
        List<SavedState.Stamp> now = FileStamps.read(layout, this::stopIfClosed);
        ResumeCheck check = ResumeCheck.of(layout, saved, now);
        if (check.fromRecord()) {
            setAllComplete(check.trusted());
        }
        unsettle(check.verify()); // saved, so not lost should the storage close before they are hashed
        loaded = true;
        if (check.fromRecord() && !check.verify().isEmpty()) {
            LOG.info("{}: files changed since last run, verifying {} pieces again", metainfo,
                    check.verify().getCardinality());
        }
        return check.verify();
    }

    /** Deletes {@code <downloadDir>/.piecework/<info-hash>.state}, now that it has been replaced. */
    private void removeLegacyState(FileLayout on) {
        try {
            StateLocation.removeLegacy(on.downloadDir(), metainfo.infoHash());
        } catch (IOException e) {
            LOG.warn("{}: could not remove old resume data in {}: {}", metainfo,
                    on.downloadDir().resolve(StateLocation.LEGACY_FOLDER), e.getMessage());
        }
    }

    /**
     * Opening walks every file (a torrent may name hundreds of thousands): a close, e.g. on
     * SIGTERM, stops the walk instead of waiting for it. Checked every 256 files.
     */
    private void stopIfClosed(int file) throws StorageException {
        if ((file & 0xff) == 0 && state() == StorageState.CLOSED) {
            throw new StorageException(StorageException.Kind.UNAVAILABLE, metainfo + ": closed while opening");
        }
    }

    private void createEmptyFiles(FileLayout on) throws StorageException {
        for (int f = 0; f < on.fileCount(); f++) {
            stopIfClosed(f);
            Path path = on.path(f);
            if (path != null && on.length(f) == 0) {
                place(on, f);
                try {
                    if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createFile(path); // O_EXCL: fails on anything there, links included
                    }
                } catch (IOException e) {
                    throw IoFailures.classify(e, path, "creating");
                }
            }
        }
    }

    Path stateFile(FileLayout on) {
        return StateLocation.file(provider.stateDir(), metainfo.infoHash(), on.downloadDir());
    }

    // The two loops below walk the files a range covers without a lambda or a buffer view per
    // block: they are the hot path, and allocate nothing in steady state.

    @Override
    protected boolean readRange(long offset, ByteBuffer into, boolean forHash) throws StorageException {
        FileLayout on = layout;
        int end = into.limit();
        int file = on.fileAt(offset);
        long at = offset;
        Path path = on.root();
        try {
            while (into.hasRemaining()) {
                long inFile = at - on.start(file);
                long available = on.length(file) - inFile;
                if (available <= 0) {
                    file++;
                    continue;
                }
                int n = (int) Math.min(available, into.remaining());
                path = on.path(file);
                into.limit(into.position() + n);
                if (path == null) {
                    while (into.hasRemaining()) {
                        into.put(ZEROS.duplicate().limit(Math.min(into.remaining(), ZEROS.capacity())));
                    }
                } else {
                    try {
                        io.readFully(path, into, inFile);
                    } catch (NoSuchFileException | FileIo.ShortFile e) {
                        if (forHash) {
                            return false; // data not there: the piece is incomplete, not an error
                        }
                        throw e;
                    }
                }
                into.limit(end);
                at += n;
                file++;
            }
            return true;
        } catch (IOException e) {
            throw IoFailures.classify(e, path, "reading");
        } finally {
            into.limit(end);
        }
    }

    @Override
    public Optional<FileBlock> fileBlock(int piece, int offset, int length) throws StorageException {
        long at = position(piece, offset, length);
        ensure(StorageState.READY);
        if (!isComplete(piece)) {
            return Optional.empty();
        }
        FileLayout on = layout;
        int file = on.fileAt(at);
        long inFile = at - on.start(file);
        Path path = on.path(file);
        if (path == null || inFile + length > on.length(file)) {
            return Optional.empty(); // padding, or a block across two files: the copying path sends it
        }
        try {
            return Optional.of(new LentBlock(provider.handles(), provider.handles().acquire(path, false), inFile, length));
        } catch (IOException e) {
            throw fail(IoFailures.classify(e, path, "reading"));
        }
    }

    @Override
    protected void writeRange(long offset, ByteBuffer from) throws StorageException {
        FileLayout on = layout;
        int end = from.limit();
        int file = on.fileAt(offset);
        long at = offset;
        Path path = on.root();
        try {
            while (from.hasRemaining()) {
                long inFile = at - on.start(file);
                long available = on.length(file) - inFile;
                if (available <= 0) {
                    file++;
                    continue;
                }
                int n = (int) Math.min(available, from.remaining());
                path = on.path(file);
                if (path == null) {
                    from.position(from.position() + n); // pad file: its zeros are never written
                } else {
                    place(on, file);
                    from.limit(from.position() + n);
                    io.writeFully(path, on.length(file), from, inFile);
                    from.limit(end);
                }
                at += n;
                file++;
            }
        } catch (IOException e) {
            throw IoFailures.classify(e, path, "writing");
        } finally {
            from.limit(end);
        }
    }

    /**
     * Adjacent blocks inside one file go out in one gathering write: 16 KiB per system call cost
     * the disk threads about 0.4 s per GiB, 256 KiB per call about 0.23 s (a JVM writing 1 GiB
     * to this machine's ext4). Runs across files or padding are written block by block.
     */
    @Override
    protected void writeRanges(long offset, ByteBuffer[] blocks, int from, int count) throws StorageException {
        long length = 0;
        for (int i = from; i < from + count; i++) {
            length += blocks[i].remaining();
        }
        FileLayout on = layout;
        int file = on.fileAt(offset);
        long inFile = offset - on.start(file);
        Path path = on.path(file);
        if (count == 1 || path == null || inFile + length > on.length(file)) {
            super.writeRanges(offset, blocks, from, count);
            return;
        }
        place(on, file);
        try {
            io.writeFully(path, on.length(file), blocks, from, count, inFile);
        } catch (IOException e) {
            throw IoFailures.classify(e, path, "writing");
        }
    }

    /** Creates the file's folders below the download folder, refusing any symbolic link on the way. */
    private void place(FileLayout on, int file) throws StorageException {
        boolean[] done = placed;
        if (done.length == on.fileCount() && done[file] && on == layout) {
            return;
        }
        Path path = on.path(file);
        try {
            SafePaths.prepare(on.downloadDir(), path, metainfo);
        } catch (StorageException e) {
            throw e;
        } catch (IOException e) {
            throw IoFailures.classify(e, path, "creating the folder of");
        }
        if (on == layout) {
            done[file] = true;
        }
    }

    @Override
    protected void completionChanged() {
        saveLater(provider.settings().saveDelayMillis());
    }

    private void saveLater(long delayMillis) {
        if (saveScheduled.compareAndSet(false, true)) {
            provider.scheduler().schedule(() -> {
                saveScheduled.set(false);
                if (state() != StorageState.CLOSED) {
                    saveNow();
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Writes the resume file now (atomically); a failure puts the storage in ERROR. */
    void saveNow() {
        save(false);
    }

    private void save(boolean closing) {
        synchronized (saveLock) {
            FileLayout on = layout;
            Path file = stateFile(on);
            try {
                RoaringBitmap pieces = completed();
                List<SavedState.Stamp> stamps = FileStamps.read(on, FileStamps.NEVER);
                // File times are coarse (a kernel tick; a second or two on some file systems):
                // a write in the same tick as this save would leave size and time as saved, and
                // the next open would trust pieces this save never saw. So while the storage can
                // still write, recently changed files get a stamp nothing matches, and the save
                // is repeated once they have been quiet. Nothing writes after a close.
                long racy = provider.settings().racyMillis();
                if (!closing && FileStamps.hideRacy(stamps, racy)) {
                    saveLater(racy);
                }
                RoaringBitmap unsettled = unsettled();
                if (!unsettled.isEmpty()) {
                    // Keep them, but with stamps no file can match: the next open checks them.
                    pieces.or(unsettled);
                    stamps = new ArrayList<>(stamps);
                    for (int piece : unsettled) {
                        long files = on.filesOfPiece(piece);
                        for (int f = (int) (files >>> 32); f <= (int) files; f++) {
                            stamps.set(f, SavedState.Stamp.UNCHECKED);
                        }
                    }
                }
                new SavedState(metainfo.infoHash(), pieces, stamps).write(file);
            } catch (IOException e) {
                fail(IoFailures.classify(e, file, "saving resume data to"));
            }
        }
    }

    @Override
    protected void beforeRetry() {
        provider.handles().close(LayoutFiles.paths(layout));
        placed = new boolean[layout.fileCount()];
    }

    @Override
    public CompletableFuture<Void> move(Path downloadDir) {
        StorageState before;
        FileLayout target;
        synchronized (this) {
            before = state();
            if (before != StorageState.READY && before != StorageState.ERROR) {
                return CompletableFuture.failedFuture(unavailable(before));
            }
            try {
                target = FileLayout.of(metainfo, downloadDir);
                StateLocation.refuseInside(target, provider.stateDir());
            } catch (StorageException e) {
                return CompletableFuture.failedFuture(e);
            }
            if (target.root().equals(layout.root())) {
                return CompletableFuture.completedFuture(null);
            }
            state(StorageState.MOVING);
        }
        return CompletableFuture.runAsync(() -> {
            FileLayout source = layout;
            try {
                provider.handles().close(LayoutFiles.paths(source));
                LayoutFiles.copyAll(source, target);
                synchronized (saveLock) {
                    layout = target;
                    placed = new boolean[target.fileCount()];
                }
                saveNow();
                LayoutFiles.deleteAll(source, stateFile(source).equals(stateFile(target)) ? null : stateFile(source));
                state(StorageState.READY);
                LOG.info("{}: moved to {}", metainfo, target.root());
            } catch (IOException e) {
                state(StorageState.READY);
                StorageException failure = fail(e instanceof StorageException s ? s : io("moving failed: " + e.getMessage(), e));
                throw new CompletionException(failure);
            }
        }, provider.io());
    }

    @Override
    public CompletableFuture<Void> remove(boolean deleteData) {
        FileLayout on = layout;
        shut();
        return CompletableFuture.runAsync(() -> {
            try {
                Files.deleteIfExists(stateFile(on));
                if (deleteData) {
                    LayoutFiles.deleteAll(on, null);
                }
                LOG.info("{}: removed{}", metainfo, deleteData ? " with its data" : "");
            } catch (IOException e) {
                throw new CompletionException(IoFailures.classify(e, on.root(), "removing"));
            }
        }, provider.io());
    }

    @Override
    public void close() {
        if (shut() && loaded) {
            save(true);
        }
    }

    /** Closes after a failed open without saving: the resume file stays as it was. */
    void abandon() {
        shut();
    }

    /** Refuses further use and closes the files; true the first time only. */
    private boolean shut() {
        synchronized (this) {
            if (state() == StorageState.CLOSED) {
                return false;
            }
            state(StorageState.CLOSED);
        }
        provider.handles().close(LayoutFiles.paths(layout));
        provider.forget(this);
        return true;
    }
}
