package io.piecework.core.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The running torrents' timers, all offered a tick by the engine's one timer thread. */
final class TorrentTimers {
    private final Set<TorrentTimer> timers = ConcurrentHashMap.newKeySet();

    /** The timer ticks every second from a second from now on. */
    void add(TorrentTimer timer) {
        timer.schedule(System.nanoTime());
        timers.add(timer);
    }

    void remove(TorrentTimer timer) {
        timers.remove(timer);
    }

    /** Offers each timer a tick: a quiet torrent's declines with one comparison. */
    void tick() {
        long now = System.nanoTime();
        for (TorrentTimer timer : timers) {
            timer.offer(now);
        }
    }
}
