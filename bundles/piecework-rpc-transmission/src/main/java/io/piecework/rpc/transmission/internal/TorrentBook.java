package io.piecework.rpc.transmission.internal;

import io.piecework.api.engine.Priority;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.InfoHash;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the RPC knows of each torrent beyond the engine's API: the integer id Transmission
 * clients address it by (stable for the daemon's life, never reused), when it was first seen,
 * the folder it was added to, and the file wants and priorities set through the RPC. The
 * engine's file priorities ({@link TorrentHandle#filePriorities()}, which the session restores)
 * are followed for wanted and high; only "low", which the engine has not, is the RPC's alone.
 * Torrents added elsewhere (the shell) get an id the first time a request lists them.
 */
final class TorrentBook {
    /** Transmission's file priorities: -1 low, 0 normal, 1 high. */
    static final int LOW = -1;
    static final int NORMAL = 0;
    static final int HIGH = 1;

    /** One torrent's entry; the file arrays are guarded by the entry itself. */
    static final class Entry {
        final int id;
        final InfoHash infoHash;
        final long addedSeconds;
        volatile Path downloadDir;
        /** Its place in {@link Verifications}: Transmission's status while it waits or is checked, or NONE. */
        volatile int verifyStatus = Verifications.NONE;
        private boolean[] wanted = new boolean[0];
        private int[] priorities = new int[0];

        Entry(int id, InfoHash infoHash, long addedSeconds) {
            this.id = id;
            this.infoHash = infoHash;
            this.addedSeconds = addedSeconds;
        }

        synchronized boolean wanted(int file) {
            return file >= wanted.length || wanted[file];
        }

        synchronized int priority(int file) {
            return file >= priorities.length ? NORMAL : priorities[file];
        }

        /** Before fields that show the files: takes over what the engine says (set by a restore or the shell). */
        void follow(TorrentHandle handle, List<String> fields) {
            if (fields.contains("wanted") || fields.contains("priorities") || fields.contains("fileStats")) {
                follow(handle);
            }
        }

        /** Takes over the engine's wants and priorities (before changing some: the rest keep the engine's). */
        synchronized void follow(TorrentHandle handle) {
            List<Priority> engine = handle.filePriorities();
            grow(engine.size());
            for (int f = 0; f < engine.size(); f++) {
                Priority p = engine.get(f);
                wanted[f] = p != Priority.SKIP;
                if (p != Priority.SKIP) {
                    // An unwanted file keeps the priority it was given, as Transmission's does.
                    priorities[f] = p == Priority.HIGH ? HIGH : p == Priority.LOW ? LOW : NORMAL;
                }
            }
        }

        private void grow(int fileCount) {
            if (wanted.length < fileCount) {
                int old = wanted.length;
                wanted = java.util.Arrays.copyOf(wanted, fileCount);
                java.util.Arrays.fill(wanted, old, fileCount, true);
                priorities = java.util.Arrays.copyOf(priorities, fileCount);
            }
        }

        /** Records a want and/or priority (null keeps it) and tells the engine what follows from both. */
        synchronized void set(TorrentHandle handle, int fileCount, int file, Boolean want, Integer priority) {
            grow(fileCount);
            if (want != null) {
                wanted[file] = want;
            }
            if (priority != null) {
                priorities[file] = priority;
            }
            handle.filePriority(file, !wanted[file] ? Priority.SKIP
                    : priorities[file] == HIGH ? Priority.HIGH : priorities[file] == LOW ? Priority.LOW : Priority.NORMAL);
        }
    }

    private static final long REMOVED_MEMORY_SECONDS = 60;
    private final Map<InfoHash, Entry> entries = new ConcurrentHashMap<>();
    private final Map<Integer, Long> removed = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Clock clock;
    /** torrent-verify's queue, shared by every request. */
    final Verifications verifications = new Verifications();

    TorrentBook(Clock clock) {
        this.clock = clock;
    }

    Entry entry(InfoHash infoHash) {
        return entries.computeIfAbsent(infoHash, h -> new Entry(nextId.getAndIncrement(), h, nowSeconds()));
    }

    /** Entries of torrents the engine no longer has are dropped and remembered as removed for a minute. */
    void retainOnly(List<InfoHash> present) {
        java.util.Set<InfoHash> keep = new java.util.HashSet<>(present);
        long now = nowSeconds();
        entries.values().removeIf(e -> {
            if (keep.contains(e.infoHash)) {
                return false;
            }
            removed.put(e.id, now);
            return true;
        });
        removed.values().removeIf(t -> now - t > REMOVED_MEMORY_SECONDS);
    }

    /** Ids of torrents removed in the last minute, for {@code recently-active}'s {@code removed}. */
    List<Integer> recentlyRemoved() {
        return new ArrayList<>(removed.keySet());
    }

    long nowSeconds() {
        return clock.millis() / 1000;
    }
}
