package io.piecework.wire.internal;

import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A block sent with {@link FileChannel#transferTo} (sendfile on Linux). Unlike Netty's
 * DefaultFileRegion it leaves the file open when released: storage owns its channels, and is
 * told through {@code done} that it may let this one go.
 */
final class FileBlockRegion extends AbstractReferenceCounted implements FileRegion {
    private final FileChannel file;
    private final long position;
    private final long count;
    private final Runnable done;
    private long transferred;

    FileBlockRegion(FileChannel file, long position, long count, Runnable done) {
        this.file = file;
        this.position = position;
        this.count = count;
        this.done = done;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    @Deprecated
    public long transfered() {
        return transferred;
    }

    @Override
    public long transferred() {
        return transferred;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public long transferTo(WritableByteChannel target, long offset) throws IOException {
        long n = count - offset;
        if (n <= 0) {
            return 0;
        }
        long written = file.transferTo(position + offset, n, target);
        if (written > 0) {
            transferred += written;
        } else if (written == 0 && position + offset >= file.size()) {
            throw new IOException("block at " + (position + offset) + " lies beyond the end of the file");
        }
        return written;
    }

    @Override
    protected void deallocate() {
        if (done != null) {
            done.run(); // sent or dropped: Netty releases a region exactly once either way
        }
    }

    @Override
    public FileRegion retain() {
        super.retain();
        return this;
    }

    @Override
    public FileRegion retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public FileRegion touch() {
        return this;
    }

    @Override
    public FileRegion touch(Object hint) {
        return this;
    }
}
