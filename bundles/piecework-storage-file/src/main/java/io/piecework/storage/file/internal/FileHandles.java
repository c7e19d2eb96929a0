package io.piecework.storage.file.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded cache of open files shared by all torrents of a provider. Files open on first use
 * and close when the least recently used one must make room, when idle too long, or when their
 * torrent closes. A file in use is never closed under its user: it is closed on release.
 * <p>
 * Every read and write of every torrent passes here, so the common case takes no lock: a
 * concurrent map finds the handle and a compare-and-set counts its user. Files are opened
 * outside any lock (two threads racing to open one file keep the first, the other closes its
 * copy), so a slow open stalls only the threads that need that file. Only making room takes a
 * lock, and only threads that found more files open than allowed take it.
 */
final class FileHandles {
    /** One open file; {@code channel} supports concurrent positional reads and writes. */
    static final class Handle {
        /** {@link #users} once the handle is closed or about to be: no one may use it again. */
        private static final int CLOSED = -1;

        final Path path;
        final FileChannel channel;
        final boolean writable;
        private final AtomicInteger users = new AtomicInteger();
        private volatile long lastUsed = System.nanoTime();
        /** Set when the handle left the cache while in use: its last user closes it. */
        private volatile boolean doomed;
        /** Guarded by the handle: set once the file's size has been prepared for writing. */
        boolean prepared;

        Handle(Path path, FileChannel channel, boolean writable) {
            this.path = path;
            this.channel = channel;
            this.writable = writable;
        }

        private boolean tryUse() {
            for (int n = users.get(); n != CLOSED && !doomed; n = users.get()) {
                if (users.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
            return false;
        }

        /** Claims an unused handle for closing. */
        private boolean tryClose() {
            return users.compareAndSet(0, CLOSED);
        }

        private boolean idle() {
            return users.get() == 0;
        }
    }

    private final Disk disk;
    private volatile int maxOpen;
    private volatile boolean sparse;
    private final ConcurrentHashMap<Path, Handle> open = new ConcurrentHashMap<>();
    /** Handles out of the cache whose users have yet to release them. */
    private final Set<Handle> closing = ConcurrentHashMap.newKeySet();
    private final ReentrantLock makingRoom = new ReentrantLock();

    FileHandles(Disk disk, int maxOpen, boolean sparse) {
        this.disk = disk;
        this.sparse = sparse;
        this.maxOpen = Math.max(1, maxOpen);
    }

    /** A new limit and file mode (configuration changed): files opened from now on follow them. */
    void reconfigure(int maxOpen, boolean sparse) {
        this.maxOpen = Math.max(1, maxOpen);
        this.sparse = sparse;
        makeRoom();
    }

    /** Opens (or reuses) the file; release the handle after use. Creates it only for writing. */
    Handle acquire(Path path, boolean write) throws IOException {
        while (true) {
            Handle handle = open.get(path);
            if (handle == null) {
                Handle fresh = new Handle(path, disk.open(path, options(write)), write);
                fresh.users.set(1);
                if (open.putIfAbsent(path, fresh) == null) {
                    makeRoom();
                    return fresh;
                }
                closeQuietly(List.of(fresh.channel)); // another thread opened it first: use theirs
            } else if (!handle.channel.isOpen()) {
                // Closed under us: an interrupted user closes a FileChannel for everyone.
                forget(handle);
            } else if (write && !handle.writable) {
                // Opened read-only before; reopen for writing, close it once its readers are done.
                forget(handle);
            } else if (handle.tryUse()) {
                return handle;
            } else {
                open.remove(path, handle); // closing: it is on its way out of the map
            }
        }
    }

    private Set<OpenOption> options(boolean write) {
        Set<OpenOption> options = new HashSet<>();
        options.add(StandardOpenOption.READ);
        if (write) {
            // Checked by SafePaths before; a link planted at the file since fails the open.
            options.add(LinkOption.NOFOLLOW_LINKS);
            options.add(StandardOpenOption.WRITE);
            options.add(StandardOpenOption.CREATE);
            if (sparse) {
                options.add(StandardOpenOption.SPARSE);
            }
        }
        return options;
    }

    void release(Handle handle) {
        handle.lastUsed = System.nanoTime();
        if (handle.users.decrementAndGet() == 0 && handle.doomed && handle.tryClose()) {
            close(handle);
        }
        makeRoom(); // files opened while this one was busy may have left more open than allowed
    }

    /** Forgets a handle found broken, so the next acquire opens the file afresh. */
    void invalidate(Handle handle) {
        forget(handle);
    }

    /** Closes these files now, or as soon as their current users release them. */
    void close(Collection<Path> paths) {
        for (Path path : paths) {
            Handle handle = open.get(path);
            if (handle != null) {
                forget(handle);
            }
        }
    }

    /** Closes files unused for at least {@code idleNanos}. */
    void closeIdle(long idleNanos) {
        long now = System.nanoTime();
        for (Handle handle : open.values()) {
            if (handle.idle() && now - handle.lastUsed >= idleNanos && handle.tryClose()) {
                open.remove(handle.path, handle);
                close(handle);
            }
        }
    }

    int openCount() {
        return open.size() + closing.size();
    }

    void closeAll() {
        close(new ArrayList<>(open.keySet()));
    }

    /** Takes the handle out of the cache; closes it now, or its last user does. */
    private void forget(Handle handle) {
        if (!open.remove(handle.path, handle)) {
            return; // someone else took it out
        }
        closing.add(handle);
        handle.doomed = true;
        if (handle.tryClose()) {
            close(handle);
        } else if (handle.users.get() == Handle.CLOSED) {
            closing.remove(handle); // claimed by closeIdle or makeRoom, which closed it already or will
        }
    }

    private void close(Handle handle) {
        closing.remove(handle);
        closeQuietly(List.of(handle.channel));
    }

    /** Closes the least recently used unused files while more are open than allowed. */
    private void makeRoom() {
        if (openCount() <= maxOpen) {
            return;
        }
        makingRoom.lock(); // taken only by threads that found too many files open
        try {
            // Sorted by when each was last used as read now: users release (and stamp) handles
            // meanwhile, and a sort whose keys move under it breaks.
            List<Candidate> idle = new ArrayList<>();
            for (Handle handle : open.values()) {
                if (handle.idle()) {
                    idle.add(new Candidate(handle, handle.lastUsed));
                }
            }
            idle.sort(Comparator.comparingLong(Candidate::lastUsed));
            for (int i = 0; i < idle.size() && openCount() > maxOpen; i++) {
                Handle handle = idle.get(i).handle();
                if (handle.tryClose()) {
                    open.remove(handle.path, handle);
                    close(handle);
                }
            }
        } finally {
            makingRoom.unlock();
        }
    }

    /** An unused handle and its last use, fixed for one sort. */
    private record Candidate(Handle handle, long lastUsed) {
    }

    private static void closeQuietly(List<FileChannel> channels) {
        for (FileChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing was pending: positional writes reach the OS before they return.
            }
        }
    }
}
