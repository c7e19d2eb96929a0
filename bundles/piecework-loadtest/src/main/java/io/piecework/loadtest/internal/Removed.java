package io.piecework.loadtest.internal;

import java.lang.ref.WeakReference;
import java.util.List;

/**
 * The last strategy's torrents, held weakly once removed: any still reachable after the next
 * run's full collections is held by the engine, and its heap sits in that run's "before"
 * figure, to be freed during the run and taken off its heap per torrent. So the engine's
 * queue of torrents waiting for a dial once held every removed torrent of naive until
 * cached's dials drained it, and cached measured half its heap per torrent.
 */
final class Removed {
    static final Removed NONE = new Removed(List.of());
    private final List<WeakReference<Object>> torrents;

    /** @param handles the removed torrents' handles (the engine's own objects, not copies) */
    Removed(List<?> handles) {
        this.torrents = handles.stream().map(h -> new WeakReference<Object>(h)).toList();
    }

    int count() {
        return torrents.size();
    }

    /** How many are still reachable: call after a full collection ({@link Heap#usedAfterGc}). */
    int reachable() {
        return (int) torrents.stream().filter(r -> r.get() != null).count();
    }
}
