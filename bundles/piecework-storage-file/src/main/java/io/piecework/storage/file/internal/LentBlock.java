package io.piecework.storage.file.internal;

import io.piecework.api.storage.FileBlock;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/** A block lent out of an open file: the handle counts it as a user until it is closed. */
final class LentBlock implements FileBlock {
    private final FileHandles handles;
    private final FileHandles.Handle handle;
    private final long position;
    private final int length;
    private final AtomicBoolean closed = new AtomicBoolean();

    LentBlock(FileHandles handles, FileHandles.Handle handle, long position, int length) {
        this.handles = handles;
        this.handle = handle;
        this.position = position;
        this.length = length;
    }

    @Override
    public FileChannel channel() {
        return handle.channel;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            handles.release(handle);
        }
    }
}
