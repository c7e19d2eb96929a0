package io.piecework.loadtest.internal;

import java.lang.ref.WeakReference;
import java.util.List;

/**
 * The last strategy's torrents, held weakly once removed. Any still reachable is held by the
 * engine, and measured then its heap sits in the next run's "before" figure, to be freed during
 * the run and taken off its heap per torrent. Two holders were found with heap dumps: the
 * engine's queue of torrents waiting for a dial, which kept every removed torrent of naive
 * until cached's dials drained it (an engine bug, fixed), and the transport's event loops
 * still working through the closed connections' deregistrations: the sockets are closed (so
 * the descriptor count is back) while each channel still references its peer session, and so
 * its torrent, until its channelInactive runs. That one is legitimately temporary, so the
 * next run waits for it.
 */
final class Removed {
    static final Removed NONE = new Removed(List.of());
    /** Between collections while waiting: each is a full GC of the engine's heap. */
    private static final long RECHECK_MILLIS = 200;
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

    /**
     * Collects until none is reachable, or until {@code deadlineNanos} ({@link System#nanoTime}).
     * The JVM has no event for an object becoming unreachable short of a collection, so this
     * collects again every {@value #RECHECK_MILLIS} ms.
     *
     * @return how many are still reachable
     */
    int awaitUnreachable(long deadlineNanos) throws InterruptedException {
        while (true) {
            System.gc(); // a full collection, done when it returns (the JVM's default)
            int left = reachable();
            if (left == 0 || System.nanoTime() - deadlineNanos >= 0) {
                return left;
            }
            Thread.sleep(RECHECK_MILLIS);
        }
    }
}
