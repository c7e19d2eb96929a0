package io.piecework.storage.file.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * A bounded cache of open files shared by all torrents of a provider. Files open on first use
 * and close when the least recently used one must make room, when idle too long, or when their
 * torrent closes. A file in use is never closed under its user: it is closed on release.
 */
final class FileHandles {
    /** One open file; {@code channel} supports concurrent positional reads and writes. */
    static final class Handle {
        final Path path;
        final FileChannel channel;
        final boolean writable;
        private int users;
        private long lastUsed;
        private boolean doomed;
        /** Guarded by the handle: set once the file's size has been prepared for writing. */
        boolean prepared;

        Handle(Path path, FileChannel channel, boolean writable) {
            this.path = path;
            this.channel = channel;
            this.writable = writable;
        }
    }

    private final Disk disk;
    private final int maxOpen;
    private final boolean sparse;
    private final LinkedHashMap<Path, Handle> open = new LinkedHashMap<>(16, 0.75f, true);
    private final List<Handle> closing = new ArrayList<>();

    FileHandles(Disk disk, int maxOpen, boolean sparse) {
        this.disk = disk;
        this.sparse = sparse;
        this.maxOpen = Math.max(1, maxOpen);
    }

    /** Opens (or reuses) the file; release the handle after use. Creates it only for writing. */
    Handle acquire(Path path, boolean write) throws IOException {
        List<FileChannel> toClose = new ArrayList<>();
        try {
            synchronized (this) {
                Handle handle = open.get(path);
                if (handle != null && !handle.channel.isOpen()) {
                    // Closed under us: an interrupted user closes a FileChannel for everyone.
                    open.remove(path);
                    handle = null;
                }
                if (handle != null && (handle.writable || !write)) {
                    handle.users++;
                    return handle;
                }
                if (handle != null) {
                    // Opened read-only before; reopen for writing once it is free.
                    open.remove(path);
                    doom(handle, toClose);
                }
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
                handle = new Handle(path, disk.open(path, options), write);
                handle.users = 1;
                open.put(path, handle);
                evict(toClose);
                return handle;
            }
        } finally {
            closeQuietly(toClose);
        }
    }

    void release(Handle handle) {
        boolean close;
        synchronized (this) {
            handle.users--;
            handle.lastUsed = System.nanoTime();
            close = handle.doomed && handle.users == 0;
            if (close) {
                closing.remove(handle);
            }
        }
        if (close) {
            closeQuietly(List.of(handle.channel));
        }
    }

    /** Forgets a handle found broken, so the next acquire opens the file afresh. */
    void invalidate(Handle handle) {
        List<FileChannel> toClose = new ArrayList<>();
        synchronized (this) {
            if (open.get(handle.path) == handle) {
                open.remove(handle.path);
                doom(handle, toClose);
            }
        }
        closeQuietly(toClose);
    }

    /** Closes these files now, or as soon as their current users release them. */
    void close(Collection<Path> paths) {
        List<FileChannel> toClose = new ArrayList<>();
        synchronized (this) {
            for (Path path : paths) {
                Handle handle = open.remove(path);
                if (handle != null) {
                    doom(handle, toClose);
                }
            }
        }
        closeQuietly(toClose);
    }

    /** Closes files unused for at least {@code idleNanos}. */
    void closeIdle(long idleNanos) {
        List<FileChannel> toClose = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (this) {
            for (Iterator<Handle> it = open.values().iterator(); it.hasNext(); ) {
                Handle handle = it.next();
                if (handle.users == 0 && now - handle.lastUsed >= idleNanos) {
                    it.remove();
                    toClose.add(handle.channel);
                }
            }
        }
        closeQuietly(toClose);
    }

    synchronized int openCount() {
        return open.size() + closing.size();
    }

    void closeAll() {
        List<Path> all;
        synchronized (this) {
            all = new ArrayList<>(open.keySet());
        }
        close(all);
    }

    private void evict(List<FileChannel> toClose) {
        Iterator<Handle> it = open.values().iterator();
        while (open.size() + closing.size() > maxOpen && it.hasNext()) {
            Handle handle = it.next();
            if (handle.users == 0) {
                it.remove();
                toClose.add(handle.channel);
            }
        }
    }

    private void doom(Handle handle, List<FileChannel> toClose) {
        if (handle.users == 0) {
            toClose.add(handle.channel);
        } else {
            handle.doomed = true;
            closing.add(handle);
        }
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
