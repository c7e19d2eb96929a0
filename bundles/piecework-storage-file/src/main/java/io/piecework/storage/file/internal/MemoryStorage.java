package io.piecework.storage.file.internal;

import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.storage.StorageState;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * A torrent's data in memory, one array per piece, allocated on first write; unwritten bytes
 * read as zeros. Completion lives as long as the provider's copy of the data.
 */
final class MemoryStorage extends BaseStorage {
    /** The data, kept by the provider so a torrent opened again finds it. */
    static final class Data {
        final byte[][] pieces;
        final org.roaringbitmap.RoaringBitmap completed = new org.roaringbitmap.RoaringBitmap();

        Data(int pieceCount) {
            pieces = new byte[pieceCount][];
        }
    }

    private final MemoryStorageProvider provider;
    private final Data data;
    private volatile Path location;

    MemoryStorage(MemoryStorageProvider provider, TorrentMetainfo metainfo, Hashing hashing, Data data, Path location) {
        super(metainfo, hashing);
        this.provider = provider;
        this.data = data;
        this.location = location;
        synchronized (data) {
            setAllComplete(data.completed);
        }
        state(StorageState.READY);
    }

    @Override
    public Path location() {
        return location;
    }

    private byte[] piece(int index, boolean create) {
        synchronized (data) {
            byte[] bytes = data.pieces[index];
            if (bytes == null && create) {
                bytes = new byte[(int) metainfo.pieceSize(index)];
                data.pieces[index] = bytes;
            }
            return bytes;
        }
    }

    @Override
    protected boolean readRange(long offset, ByteBuffer into, boolean forHash) {
        long length = metainfo.pieceLength();
        while (into.hasRemaining()) {
            int index = (int) (offset / length);
            int at = (int) (offset % length);
            byte[] bytes = piece(index, false);
            int n = (int) Math.min(into.remaining(), metainfo.pieceSize(index) - at);
            if (bytes == null) {
                for (int i = 0; i < n; i++) {
                    into.put((byte) 0);
                }
            } else {
                into.put(bytes, at, n);
            }
            offset += n;
        }
        return true;
    }

    @Override
    protected void writeRange(long offset, ByteBuffer from) {
        long length = metainfo.pieceLength();
        while (from.hasRemaining()) {
            int index = (int) (offset / length);
            int at = (int) (offset % length);
            byte[] bytes = piece(index, true);
            int n = (int) Math.min(from.remaining(), bytes.length - at);
            from.get(bytes, at, n);
            offset += n;
        }
    }

    @Override
    protected void completionChanged() {
        org.roaringbitmap.RoaringBitmap now = completed();
        synchronized (data) {
            data.completed.clear();
            data.completed.or(now);
        }
    }

    @Override
    public CompletableFuture<Void> move(Path downloadDir) {
        location = downloadDir;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> remove(boolean deleteData) {
        close();
        provider.discard(metainfo.infoHash());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        state(StorageState.CLOSED);
    }
}
