package io.piecework.wire.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.traffic.GlobalTrafficShapingHandler;
import io.piecework.transport.RateBudget;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An unlimited shaper runs no timer: one per torrent, each with a task every second, cost the
 * event loops 9.85 % of a core at 1000 idle torrents (loadtest 1000 x 19 on the merged code).
 */
class RateShapersTest {
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void close() {
        timers.shutdownNow();
    }

    @Test
    void aTorrentsCounterTimerRunsOnlyWhileALimitIsSet() {
        GlobalTrafficShapingHandler shaper = RateShapers.torrent(timers, new RateShapers.Shared());
        assertFalse(RateShapers.timerRunning(shaper), "a new, unlimited shaper");
        RateShapers.limit(shaper, 1 << 20, 0);
        assertTrue(RateShapers.timerRunning(shaper), "a download limit needs the accounting periods");
        RateShapers.limit(shaper, 0, 0);
        assertFalse(RateShapers.timerRunning(shaper), "lifted again");
        RateShapers.stop(shaper);
        GlobalTrafficShapingHandler transport = RateShapers.transport(timers, new RateShapers.Shared());
        RateShapers.limitTransport(transport, 0, 0);
        assertTrue(RateShapers.timerRunning(transport), "the transport's one shaper keeps counting");
    }

    /*
     * The shared budgets (what uTP takes from) see TCP's bytes as they pass: charged only when
     * the counter's one-second period ended, uTP took the whole limit meanwhile. The budgets'
     * clock and the embedded loop's stand still: the counter's first period runs at once (Netty
     * starts it with no delay), before the bytes, and its next never comes, so any debt here was
     * charged by the bytes themselves.
     */
    @Test
    void tcpsBytesAreChargedToTheSharedBudgetsAsTheyPass() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        RateBudget download = new RateBudget(() -> 0L);
        RateBudget upload = new RateBudget(() -> 0L);
        download.rate(1 << 20);
        upload.rate(1 << 20);
        RateShapers.Shared shared = new RateShapers.Shared();
        shared.set(download, upload);
        GlobalTrafficShapingHandler transport = RateShapers.transport(channel.eventLoop(), shared);
        RateShapers.limitTransport(transport, 1 << 30, 1 << 30); // TCP's own limit far away: nothing waits
        channel.pipeline().addFirst(RateShapers.TRANSPORT, transport);
        channel.runPendingTasks(); // the counter's first period, empty
        long empty = download.waitNanos(); // an empty bucket: the time for one byte

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[16 * 1024]));
        channel.writeOutbound(Unpooled.wrappedBuffer(new byte[32 * 1024]));

        long received = TimeUnit.NANOSECONDS.toMicros(download.waitNanos());
        long sent = TimeUnit.NANOSECONDS.toMicros(upload.waitNanos());
        assertTrue(received >= 15_000, "16 KiB received at 1 MiB/s owes ~15.6 ms, waits " + received + " us (empty: " + empty + " ns)");
        assertTrue(sent >= 31_000, "32 KiB sent at 1 MiB/s owes ~31.2 ms, waits " + sent + " us");
        channel.finishAndReleaseAll();
        RateShapers.stop(transport);
    }
}
