package io.piecework.storage.file.internal;

import io.piecework.api.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Positional reads and writes of whole buffers through the provider's open file handles,
 * reopening a channel that another thread's interrupt closed. Allocates nothing per block.
 */
final class FileIo {
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();

    private final FileHandles handles;
    private final boolean preallocate;

    /** @param preallocate give a file its full length in zeros (else a sparse hole) on first write */
    FileIo(FileHandles handles, boolean preallocate) {
        this.handles = handles;
        this.preallocate = preallocate;
    }

    /** A file shorter than the torrent says: its missing bytes were never written. */
    static final class ShortFile extends IOException {
        private static final long serialVersionUID = 1L;

        ShortFile(Path path) {
            super(path + " is shorter than the torrent says");
        }
    }

    void readFully(Path path, ByteBuffer into, long position) throws IOException {
        int start = into.position();
        for (int attempt = 0; ; attempt++) {
            FileHandles.Handle handle = handles.acquire(path, false);
            try {
                long at = position;
                while (into.hasRemaining()) {
                    int read = handle.channel.read(into, at);
                    if (read < 0) {
                        throw new ShortFile(path);
                    }
                    at += read;
                }
                return;
            } catch (ClosedChannelException e) {
                retryOrThrow(e, handle, attempt, path, "reading ");
                into.position(start);
            } finally {
                handles.release(handle);
            }
        }
    }

    void writeFully(Path path, long length, ByteBuffer from, long position) throws IOException {
        int start = from.position();
        for (int attempt = 0; ; attempt++) {
            FileHandles.Handle handle = handles.acquire(path, true);
            try {
                prepare(handle, length);
                long at = position;
                while (from.hasRemaining()) {
                    at += handle.channel.write(from, at);
                }
                return;
            } catch (ClosedChannelException e) {
                retryOrThrow(e, handle, attempt, path, "writing ");
                from.position(start);
            } finally {
                handles.release(handle);
            }
        }
    }

    /**
     * Writes the buffers' remaining bytes, adjacent, from {@code position}: one gathering write
     * (writev) for all of them. FileChannel has no positional one, so the channel's position is
     * set and used under the handle's monitor; every other use of a handle is positional.
     */
    void writeFully(Path path, long length, ByteBuffer[] from, int offset, int count, long position)
            throws IOException {
        int[] starts = new int[count];
        long total = 0;
        for (int i = 0; i < count; i++) {
            starts[i] = from[offset + i].position();
            total += from[offset + i].remaining();
        }
        for (int attempt = 0; ; attempt++) {
            FileHandles.Handle handle = handles.acquire(path, true);
            try {
                prepare(handle, length);
                synchronized (handle) {
                    FileChannel channel = handle.channel;
                    channel.position(position);
                    for (long left = total; left > 0; ) {
                        left -= channel.write(from, offset, count);
                    }
                }
                return;
            } catch (ClosedChannelException e) {
                retryOrThrow(e, handle, attempt, path, "writing ");
                for (int i = 0; i < count; i++) {
                    from[offset + i].position(starts[i]);
                }
            } finally {
                handles.release(handle);
            }
        }
    }

    /**
     * A channel closed under us: another thread was interrupted while using it, which closes a
     * FileChannel for everyone. The file is reopened and the positional I/O repeated, once. An
     * interrupted caller is refused without putting the storage in ERROR: that is no disk fault.
     */
    private void retryOrThrow(ClosedChannelException e, FileHandles.Handle handle, int attempt, Path path,
                              String doing) throws IOException {
        if (e instanceof ClosedByInterruptException) {
            throw new StorageException(StorageException.Kind.UNAVAILABLE, "interrupted while " + doing + path, e);
        }
        if (attempt > 0 || Thread.currentThread().isInterrupted()) {
            throw e;
        }
        handles.invalidate(handle);
    }

    /** Gives a file its full length once: zeros written (preallocate) or a sparse hole. */
    private void prepare(FileHandles.Handle handle, long length) throws IOException {
        synchronized (handle) {
            if (handle.prepared) {
                return;
            }
            FileChannel channel = handle.channel;
            long size = channel.size();
            if (size < length) {
                if (preallocate) {
                    while (size < length) {
                        ByteBuffer zeros = ZEROS.duplicate();
                        zeros.limit((int) Math.min(zeros.capacity(), length - size));
                        size += channel.write(zeros, size);
                    }
                } else {
                    // Writing the last byte sets the size; the rest stays a hole in the file.
                    channel.write(ByteBuffer.allocate(1), length - 1);
                }
            }
            handle.prepared = true;
        }
    }
}
