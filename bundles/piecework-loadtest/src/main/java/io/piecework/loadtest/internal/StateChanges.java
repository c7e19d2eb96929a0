package io.piecework.loadtest.internal;

import io.piecework.api.engine.TorrentEvent;
import io.piecework.api.engine.TorrentListener;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Component;

/**
 * The engine's state changes and errors, queued while a run waits for them (and dropped
 * otherwise: a load test's thousands of verified pieces are not kept). Its own component on
 * the engine's whiteboard, without references: as part of {@link LoadTestComponent}, which
 * needs the engine, SCR could be asked to build the engine while building the load test and
 * the load test again while binding the engine's listeners (a ServiceFactory cycle that left
 * the load test failed in DistributionIT, depending on the order services came up).
 */
@Component(service = {TorrentListener.class, StateChanges.class})
public final class StateChanges implements TorrentListener {
    private final BlockingQueue<TorrentEvent> events = new LinkedBlockingQueue<>();
    private volatile boolean listening;

    @Override
    public void onEvent(TorrentEvent event) {
        if (listening && (event.kind() == TorrentEvent.Kind.STATE_CHANGED || event.kind() == TorrentEvent.Kind.ERROR)) {
            events.add(event);
        }
    }

    /** Starts queueing; call before reading the state the events will change. */
    void listen() {
        events.clear();
        listening = true;
    }

    void stop() {
        listening = false;
        events.clear();
    }

    /** The next state change or error, or null after {@code nanos}. */
    TorrentEvent next(long nanos) throws InterruptedException {
        return events.poll(nanos, TimeUnit.NANOSECONDS);
    }
}
