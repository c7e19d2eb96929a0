package io.piecework.core.internal;

import io.piecework.api.engine.Priority;
import io.piecework.api.engine.TorrentEvent;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.strategy.Picker;
import io.piecework.api.strategy.UpdateReason;
import java.util.Arrays;
import java.util.List;

/**
 * File and piece priorities of one torrent, turned into the tracker's piece levels: a piece
 * takes the highest level of the files it overlaps unless set on its own. Sequential download
 * is a priority ordering too, so every strategy follows it without knowing of it: each wanted
 * piece gets a level of its own, falling with its index, within its file's level (a high file
 * still comes before a normal one), and since priority is the first key of {@link
 * io.piecework.api.strategy.PieceOrder} the rarest-first part of the order no longer decides.
 */
final class Priorities {
    private final Torrent torrent;
    private final TorrentMetainfo metainfo;
    private final Priority[] files;
    private final Priority[] pieceOverrides;
    /** Guarded by the torrent's lock; read without it for the handle's getter. */
    private volatile boolean sequential;

    Priorities(Torrent torrent) {
        this.torrent = torrent;
        this.metainfo = torrent.metainfo;
        this.files = new Priority[metainfo.files().size()];
        Arrays.fill(files, Priority.NORMAL);
        this.pieceOverrides = new Priority[metainfo.pieceCount()];
    }

    void file(int fileIndex, Priority priority) {
        torrent.lock.lock();
        try {
            files[fileIndex] = priority;
            apply();
        } finally {
            torrent.lock.unlock();
        }
        changed();
    }

    /** Each file's priority as set, in file order. */
    List<Priority> files() {
        torrent.lock.lock();
        try {
            return List.of(files.clone());
        } finally {
            torrent.lock.unlock();
        }
    }

    void sequential(boolean on) {
        torrent.lock.lock();
        try {
            if (sequential == on) {
                return;
            }
            sequential = on;
            apply();
        } finally {
            torrent.lock.unlock();
        }
        changed();
    }

    boolean sequential() {
        return sequential;
    }

    /** Peers get requests in the new order; a session hears of it and keeps it. */
    private void changed() {
        torrent.updateAllLater(UpdateReason.PRIORITY);
        torrent.engine.emit(torrent.event(TorrentEvent.Kind.SETTINGS_CHANGED, -1, ""));
    }

    void piece(int piece, Priority priority) {
        torrent.lock.lock();
        try {
            pieceOverrides[piece] = priority;
            apply();
        } finally {
            torrent.lock.unlock();
        }
        torrent.updateAllLater(UpdateReason.PRIORITY);
    }

    /** Levels changed: the picker, our interest in each peer and the torrent's state follow. */
    private void apply() {
        PieceTracker tracker = torrent.blocks.tracker;
        applyTo(tracker);
        torrent.blocks.refreshByteCounts();
        Picker current = torrent.picker;
        if (current != null) {
            current.prioritiesChanged();
        }
        for (PeerSession p : torrent.swarm.peers) {
            torrent.swarm.countWanted(p);
            torrent.swarm.refreshInterest(p);
        }
        if (tracker.complete() && torrent.state == TorrentState.DOWNLOADING) {
            torrent.state = TorrentState.SEEDING;
        } else if (!tracker.complete() && torrent.state == TorrentState.SEEDING) {
            torrent.state = TorrentState.DOWNLOADING;
            torrent.timer.wake();
        }
    }

    /** Sets every piece's level in the tracker and recounts its totals. */
    private void applyTo(PieceTracker tracker) {
        int[] levels = new int[metainfo.pieceCount()];
        List<FileEntry> entries = metainfo.files();
        for (int f = 0; f < entries.size(); f++) {
            FileEntry file = entries.get(f);
            if (file.length() == 0 || file.padding()) {
                continue;
            }
            int first = (int) (file.offset() / metainfo.pieceLength());
            int last = (int) ((file.offset() + file.length() - 1) / metainfo.pieceLength());
            for (int p = first; p <= last; p++) {
                levels[p] = Math.max(levels[p], files[f].level());
            }
        }
        int n = levels.length;
        for (int p = 0; p < n; p++) {
            int level = pieceOverrides[p] != null ? pieceOverrides[p].level() : levels[p];
            // Sequential: level L becomes L * (n + 1) + (n - p), so L still dominates (high files
            // first) and within it the lower index is more urgent. n is at most a few million
            // (the metainfo's pieces string is bounded), far below overflow.
            tracker.priority(p, sequential && level > 0 ? level * (n + 1) + (n - p) : level);
        }
        tracker.recount();
    }
}
