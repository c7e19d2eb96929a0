package io.piecework.storage.file.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The real disk, with failures switched on by the test: root ignores file permissions and a
 * tmpfs cannot be mounted in CI, so "disk full" and "permission denied" are simulated here,
 * raising exactly what the JDK raises for ENOSPC and EACCES.
 */
final class FailingDisk implements Disk {
    volatile boolean diskFull;
    volatile boolean denyWrites;
    /** Every open: "path read|write thread". */
    final List<String> opens = new CopyOnWriteArrayList<>();
    /** Calls of write(ByteBuffer, long) and of the gathering write(ByteBuffer[], int, int). */
    final java.util.concurrent.atomic.AtomicInteger positionalWrites = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger gatheringWrites = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException {
        boolean write = options.contains(StandardOpenOption.WRITE);
        opens.add(path.getFileName() + " " + (write ? "write" : "read") + " " + Thread.currentThread().getName());
        if (write && denyWrites) {
            throw new AccessDeniedException(path.toString());
        }
        return new Channel(FileChannel.open(path, options));
    }

    long readOpens() {
        return opens.stream().filter(s -> s.contains(" read ")).count();
    }

    private final class Channel extends FileChannel {
        private final FileChannel real;

        Channel(FileChannel real) {
            this.real = real;
        }

        private void check() throws IOException {
            if (diskFull) {
                throw new IOException("No space left on device");
            }
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            check();
            return real.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            check();
            gatheringWrites.incrementAndGet();
            return real.write(srcs, offset, length);
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            real.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            real.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return real.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            check();
            return real.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            check();
            positionalWrites.incrementAndGet();
            return real.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return real.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }
}
