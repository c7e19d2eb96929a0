package io.piecework.wire.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.traffic.GlobalTrafficShapingHandler;
import io.netty.handler.traffic.TrafficCounter;
import io.piecework.transport.RateBudget;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Bandwidth limits on Netty's traffic shaping: one {@link GlobalTrafficShapingHandler} shared by
 * every connection of a transport (the engine-wide limits) and one per torrent, shared by that
 * torrent's connections. 0 means unlimited.
 *
 * <p>Reads are shaped by pausing auto-read on the connection that went over (at most one socket
 * read, 256 KiB, lands beyond the limit). Writes over the limit wait in the shaper's queue; the
 * shaper marks the connection unwritable once that queue holds more than
 * {@link #MAX_QUEUED_PER_CONNECTION} bytes or {@link #MAX_WRITE_DELAY_MS} of sending, and the
 * engine stops producing blocks for an unwritable connection, so the upload path buffers about
 * one second of the limit per connection (plus the blocks already read from disk), bounded per
 * shaper by {@link #MAX_QUEUED_PER_SHAPER}.
 *
 * <p>A shaper sits in a connection's pipeline only while it has a limit ({@link #place}): each one
 * keeps a per-connection state and a handler context and counts every read and write, which at
 * 1000 idle torrents x 19 peers was about 16 KiB of heap per torrent for limits nobody had set.
 */
final class RateShapers {
    /** Pipeline names: the transport's shaper sits first, the torrent's right after it. */
    static final String TRANSPORT = "transport-limit";
    static final String TORRENT = "torrent-limit";
    /** How often the counters start a new accounting period (Netty's default). */
    static final long CHECK_INTERVAL_MS = 1000;
    /** A pause longer than this is cut short (Netty's default is 15 s: keep-alives must get through). */
    static final long MAX_PAUSE_MS = 5000;
    static final long MAX_WRITE_DELAY_MS = 1000;
    /** The connection's own high water mark: the shaper holds no more than the socket buffer would. */
    static final long MAX_QUEUED_PER_CONNECTION = 1024 * 1024;
    static final long MAX_QUEUED_PER_SHAPER = 32L * 1024 * 1024;
    /**
     * Netty's shapers mark unwritability in a bit of the channel's user-defined writability
     * (Global: bit 2). The torrent's shaper takes a bit of its own, or it would clear the
     * transport's mark while the transport's queue is still full.
     */
    private static final int TRANSPORT_WRITABILITY_BIT = 2;
    private static final int TORRENT_WRITABILITY_BIT = 4;

    private RateShapers() {
    }

    /*
     * A torrent's shaper starts unlimited with its counter's timer off (check interval 0), and
     * runs it only while a limit is set: with it always on, every torrent's shaper ran an
     * accounting task each second, and at 1000 idle torrents x 19 peers the event loops took
     * 9.85 % of a core doing it (loadtest, 17:05 UTC), against 0.45 % before the limits were
     * merged. The transport's one shaper keeps its timer: one task a second costs nothing, and a
     * counter restarted when a limit is set lets the first second through unshaped (2 MiB at
     * 1 MiB/s took 1.0 s instead of about 2 in RateLimitLoopbackTest).
     */
    static GlobalTrafficShapingHandler transport(ScheduledExecutorService timers, Shared shared) {
        return configured(new Charging(timers, CHECK_INTERVAL_MS, shared));
    }

    static GlobalTrafficShapingHandler torrent(ScheduledExecutorService timers, Shared shared) {
        return configured(new Charging(timers, 0, shared) {
            @Override
            protected int userDefinedWritabilityIndex() {
                return TORRENT_WRITABILITY_BIT; // read by the super constructor: a constant, not a field
            }
        });
    }

    /**
     * A shaper that charges the shared budgets as bytes pass, not when its period ends: charged
     * once a second, a second of TCP was invisible to uTP, which took the whole limit meanwhile
     * (a common limit overshot by about 13 % on short transfers).
     */
    private static class Charging extends GlobalTrafficShapingHandler {
        private final Shared shared;

        Charging(ScheduledExecutorService timers, long checkInterval, Shared shared) {
            super(timers, 0, 0, checkInterval, MAX_PAUSE_MS);
            this.shared = shared;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            shared.received(calculateSize(msg));
            super.channelRead(ctx, msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            shared.sent(calculateSize(msg));
            super.write(ctx, msg, promise);
        }
    }

    /**
     * Budgets shared with the engine's other transports (uTP): the shaper keeps TCP within the
     * limit by itself and charges what TCP moves to the shared budgets as it moves, so uTP gets
     * only what TCP left of the one limit. TCP goes first; uTP waits off any debt.
     */
    static final class Shared {
        private volatile RateBudget download;
        private volatile RateBudget upload;

        void set(RateBudget download, RateBudget upload) {
            this.download = download;
            this.upload = upload;
        }

        void received(long bytes) {
            RateBudget d = download;
            if (d != null && bytes > 0) {
                d.charge(bytes);
            }
        }

        void sent(long bytes) {
            RateBudget u = upload;
            if (u != null && bytes > 0) {
                u.charge(bytes);
            }
        }
    }

    private static GlobalTrafficShapingHandler configured(GlobalTrafficShapingHandler shaper) {
        shaper.setMaxWriteDelay(MAX_WRITE_DELAY_MS);
        shaper.setMaxWriteSize(MAX_QUEUED_PER_CONNECTION);
        shaper.setMaxGlobalWriteSize(MAX_QUEUED_PER_SHAPER);
        return shaper;
    }

    /** The transport's limits: applied at once to every connection; negative is refused. */
    static void limitTransport(GlobalTrafficShapingHandler shaper, long downloadBytesPerSecond,
                               long uploadBytesPerSecond) {
        refuseNegative(downloadBytesPerSecond, uploadBytesPerSecond);
        long readBefore = shaper.getReadLimit();
        long writeBefore = shaper.getWriteLimit();
        shaper.configure(uploadBytesPerSecond, downloadBytesPerSecond, CHECK_INTERVAL_MS); // unchanged: no restart
        noIdleCredit(shaper, readBefore, writeBefore);
    }

    /** A torrent's limits: applied at once to its connections; negative is refused. */
    static void limit(GlobalTrafficShapingHandler shaper, long downloadBytesPerSecond, long uploadBytesPerSecond) {
        refuseNegative(downloadBytesPerSecond, uploadBytesPerSecond);
        boolean limited = downloadBytesPerSecond > 0 || uploadBytesPerSecond > 0;
        long readBefore = shaper.getReadLimit();
        long writeBefore = shaper.getWriteLimit();
        // Netty: write first, then read; the counter's timer runs only while there is a limit.
        shaper.configure(uploadBytesPerSecond, downloadBytesPerSecond, limited ? CHECK_INTERVAL_MS : 0);
        noIdleCredit(shaper, readBefore, writeBefore);
    }

    /**
     * A counter that saw no traffic in its last period lets a period's worth of the limit through
     * at once: Netty judges the current period together with the one before. A shaper that was
     * unlimited was in no pipeline and counted nothing, so a limit just set would let its first
     * second through unshaped (2 MiB at 1 MiB/s took 1.0 s in RateLimitLoopbackTest). For each
     * direction whose limit was 0, the just-reset counter is charged an eighth of a period at the
     * new limit: enough that Netty shapes from the first writes on, while the connection waits at
     * most 125 ms. A whole period (as first done) stalled every message, requests included, for up
     * to a second after a limit was set (RateLimitLoopbackTest.uploadLimitDoesNotStopReading).
     */
    private static void noIdleCredit(GlobalTrafficShapingHandler shaper, long readBefore, long writeBefore) {
        TrafficCounter counter = shaper.trafficCounter();
        long now = TrafficCounter.milliSecondFromNano();
        long read = shaper.getReadLimit();
        long write = shaper.getWriteLimit();
        // With a limit of 0 these only count the bytes (Netty's one public way to charge a counter).
        if (readBefore == 0 && read > 0) {
            counter.readTimeToWait(read * CHECK_INTERVAL_MS / 8000, 0, 0, now);
        }
        if (writeBefore == 0 && write > 0) {
            counter.writeTimeToWait(write * CHECK_INTERVAL_MS / 8000, 0, 0, now);
        }
    }

    private static void refuseNegative(long downloadBytesPerSecond, long uploadBytesPerSecond) {
        if (downloadBytesPerSecond < 0 || uploadBytesPerSecond < 0) {
            throw new IllegalArgumentException("rate limits must be 0 (unlimited) or positive, not "
                    + downloadBytesPerSecond + "/" + uploadBytesPerSecond);
        }
    }

    /** Whether a download or upload limit is set. */
    static boolean limited(GlobalTrafficShapingHandler shaper) {
        return shaper.getReadLimit() > 0 || shaper.getWriteLimit() > 0;
    }

    /**
     * On the connection's event loop: puts each shaper that has a limit into the pipeline (the
     * transport's first, next to the socket, so it counts the bytes on the wire, encrypted or
     * not; the torrent's right after it, both before the MSE handler) and takes out each that
     * has none. A shaper taken out sends what it still queued and lifts its read and write
     * pauses; the caller re-applies its own.
     *
     * @param torrent the torrent's shaper, null before the handshake names the torrent
     * @return whether the pipeline changed
     */
    static boolean place(ChannelPipeline pipeline, GlobalTrafficShapingHandler transport,
                         GlobalTrafficShapingHandler torrent) {
        boolean changed = place(pipeline, TRANSPORT, transport);
        if (torrent != null || pipeline.get(TORRENT) != null) {
            changed |= place(pipeline, TORRENT, torrent);
        }
        return changed;
    }

    private static boolean place(ChannelPipeline pipeline, String name, GlobalTrafficShapingHandler shaper) {
        boolean wanted = shaper != null && limited(shaper);
        boolean present = pipeline.get(name) != null;
        if (wanted == present) {
            return false;
        }
        if (!wanted) {
            pipeline.remove(name);
        } else if (name.equals(TORRENT) && pipeline.get(TRANSPORT) != null) {
            pipeline.addAfter(TRANSPORT, TORRENT, shaper);
        } else {
            pipeline.addFirst(name, shaper);
        }
        return true;
    }

    /** Whether the shaper's counter runs its accounting timer (for tests). */
    static boolean timerRunning(GlobalTrafficShapingHandler shaper) {
        return shaper.trafficCounter().checkInterval() > 0;
    }

    /** Lifts the limits (connections still holding it pass straight through) and stops its timer. */
    static void stop(GlobalTrafficShapingHandler shaper) {
        shaper.configure(0, 0, 0);
        shaper.release();
    }

    /**
     * True while the socket's own send queue is above its high mark. A connection that is
     * unwritable only because a shaper holds back its uploads must keep reading: an upload
     * limit must not throttle downloads. While a shaper's mark is set, the socket's share is
     * judged from its pending bytes (its low/high hysteresis is not visible then).
     */
    static boolean socketBacklog(Channel channel) {
        if (channel.isWritable()) {
            return false;
        }
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        if (out == null) {
            return false;
        }
        if (out.getUserDefinedWritability(TRANSPORT_WRITABILITY_BIT) && out.getUserDefinedWritability(TORRENT_WRITABILITY_BIT)) {
            return true; // no shaper holds it: the socket's own mark
        }
        return out.totalPendingWriteBytes() > channel.config().getWriteBufferHighWaterMark();
    }
}
