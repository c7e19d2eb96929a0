package io.piecework.wire.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.traffic.GlobalTrafficShapingHandler;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
}
