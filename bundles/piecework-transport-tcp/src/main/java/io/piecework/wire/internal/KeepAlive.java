package io.piecework.wire.internal;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keep-alives and idle checks for every connection of the transport: one timer task per event
 * loop that walks that loop's connections, instead of a scheduled task per connection (a
 * {@code ScheduledFutureTask}, its lambda and its queue slot each: at 20,000 mostly idle
 * connections that was heap for nothing). Each loop's list is touched only on that loop.
 */
final class KeepAlive {
    private final long periodMillis;
    private final Map<EventLoop, Sweep> sweeps = new ConcurrentHashMap<>();

    KeepAlive(TransportSettings settings) {
        // As often as the per-connection timer ran: a quarter of the shorter interval.
        this.periodMillis = Math.max(10, Math.min(settings.keepAliveIntervalMillis(), settings.idleTimeoutMillis()) / 4);
    }

    /** Starts checking {@code c}; on its event loop {@code loop}. */
    void add(PeerChannel c, EventLoop loop) {
        sweeps.computeIfAbsent(loop, Sweep::new).add(c);
    }

    /** Stops checking {@code c}; on its event loop, idempotent. */
    void remove(PeerChannel c, EventLoop loop) {
        Sweep s = sweeps.get(loop);
        if (s != null) {
            s.remove(c);
        }
    }

    /** Runs {@code action} for each connection being checked, on the connection's event loop. */
    void forEach(Consumer<PeerChannel> action) {
        for (Sweep s : sweeps.values()) {
            try {
                s.loop.execute(() -> {
                    for (int i = s.channels.size() - 1; i >= 0; i--) {
                        if (i < s.channels.size()) {
                            action.accept(s.channels.get(i));
                        }
                    }
                });
            } catch (RejectedExecutionException shutDown) {
                // the transport is closing: its connections go with it
            }
        }
    }

    /** Connections being checked on {@code loop} (for tests). */
    int size(EventLoop loop) {
        Sweep s = sweeps.get(loop);
        return s == null ? 0 : s.channels.size();
    }

    /** One loop's connections; each knows its index, so removal is a swap with the last. */
    private final class Sweep implements Runnable {
        private final EventLoop loop;
        private final List<PeerChannel> channels = new ArrayList<>();
        private ScheduledFuture<?> task;

        Sweep(EventLoop loop) {
            this.loop = loop;
        }

        void add(PeerChannel c) {
            if (c.sweepIndex >= 0) {
                return;
            }
            c.sweepIndex = channels.size();
            channels.add(c);
            if (task == null) {
                task = loop.scheduleAtFixedRate(this, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
            }
        }

        void remove(PeerChannel c) {
            int i = c.sweepIndex;
            if (i < 0 || i >= channels.size() || channels.get(i) != c) {
                return;
            }
            PeerChannel last = channels.remove(channels.size() - 1);
            if (last != c) {
                channels.set(i, last);
                last.sweepIndex = i;
            }
            c.sweepIndex = -1;
            if (channels.isEmpty() && task != null) {
                task.cancel(false); // no timer while the loop has no connection
                task = null;
            }
        }

        @Override
        public void run() {
            // Backwards: a connection the check closes swaps in one already checked.
            for (int i = channels.size() - 1; i >= 0; i--) {
                if (i < channels.size()) {
                    channels.get(i).tick();
                }
            }
        }
    }
}
