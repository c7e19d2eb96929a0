package io.piecework.strategy.batched;

import io.piecework.api.strategy.Picker;
import io.piecework.api.strategy.RequestStrategy;
import io.piecework.api.strategy.TorrentView;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Coalesces request-update triggers per peer and serves a torrent's dirty peers together, at
 * most every {@code interval.ms} or at once when a peer's pipeline runs dry, taking the
 * torrent's lock once per batch instead of once per trigger. The piece order is the cached
 * strategy's index, so each peer gets exactly what the naive strategy would give it.
 *
 * <p>One small daemon timer thread per strategy instance serves every picker it opened; it
 * stops when the component deactivates. A configuration change re-creates the component,
 * which the engine sees as a strategy swap.
 */
@Component(service = RequestStrategy.class, property = RequestStrategy.NAME_PROPERTY + "=batched",
        configurationPid = "io.piecework.strategy.batched")
@Designate(ocd = BatchedStrategy.Config.class)
public final class BatchedStrategy implements RequestStrategy {
    @ObjectClassDefinition(name = "Piecework batched request strategy",
            description = "Request updates coalesced per peer, served in one pass per torrent")
    public @interface Config {
        @AttributeDefinition(description = "Longest wait before a dirty peer is served (ms); a dry pipeline does not wait")
        long interval_ms() default 10;
    }

    private final ScheduledThreadPoolExecutor timer;
    private final long intervalMs;

    @Activate
    public BatchedStrategy(Config config) {
        this(config.interval_ms());
    }

    /** For harnesses outside OSGi; call {@link #deactivate} when done. */
    public BatchedStrategy(long intervalMs) {
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("interval.ms must be positive: " + intervalMs);
        }
        this.intervalMs = intervalMs;
        String name = "piecework-batched-" + Integer.toHexString(System.identityHashCode(this));
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        // Cancelled tickers leave the queue at once, so a closed picker holds nothing.
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Picker open(TorrentView torrent) {
        return new BatchedPicker(torrent, timer, intervalMs);
    }

    @Deactivate
    public void deactivate() {
        timer.shutdownNow();
    }

    /** Runs {@code task} on the strategy's timer thread after {@code delayMs} (tests). */
    void schedule(Runnable task, long delayMs) {
        timer.schedule(task, delayMs, TimeUnit.MILLISECONDS);
    }

    /** The timer's pending tasks (tests). */
    int scheduledTasks() {
        return timer.getQueue().size();
    }
}
