package io.piecework.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.QueueLimits;
import io.piecework.api.engine.TorrentEvent;
import io.piecework.api.engine.TorrentState;
import java.util.ArrayDeque;
import org.junit.jupiter.api.Test;

/**
 * The queue against the engine's real orderings: a torrent's state changes on one thread and
 * its event reaches the queue later, after the session's thread has rebalanced, or after an
 * event of a later change made on another thread. A torrent stopped by hand must stay stopped
 * whichever comes first (DaemonRestartIT's shell stops one while it is being checked; the
 * session saved it started and the queue ran it again).
 */
class SessionQueueRaceTest {
    private final QueueFakes engine = new QueueFakes();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    private SessionQueue queue() {
        return queue(5);
    }

    /** A queue that runs at most {@code downloads} downloads at once. */
    private SessionQueue queue(int downloads) {
        SessionQueue q = new SessionQueue(engine, new QueueLimits(true, downloads, false, 10, false, 2.0, false, 30),
                tasks::add, () -> 1_000_000L, l -> { }, () -> { });
        engine.listener = q::onEvent;
        return q;
    }

    /** Runs what the session's thread would, in order, until nothing is left. */
    private void drain() {
        QueueFakes.drain(tasks);
    }

    /** The shell's add: a torrent started and wanted, its storage opening. */
    private QueueFakes.Fake checking(SessionQueue q) {
        QueueFakes.Fake c = engine.add(3, false, true);
        c.set(TorrentState.CHECKING);
        drain();
        assertTrue(q.wanted(c.hash));
        return c;
    }

    /** Once the session's thread has run: not started again, and not saved as started. */
    private void assertStoppedByHand(SessionQueue q, QueueFakes.Fake c) {
        drain();
        assertEquals(0, c.starts, "the queue started the torrent stopped by hand again");
        assertEquals(TorrentState.STOPPED, c.state);
        assertFalse(q.wanted(c.hash), "saved as started though stopped by hand");
    }

    private static TorrentEvent changed(QueueFakes.Fake t, TorrentState state) {
        return new TorrentEvent(TorrentEvent.Kind.STATE_CHANGED, t.hash, state, -1, "");
    }

    @Test
    void aTorrentStoppedWhileCheckingIsNotStartedAgainByARebalanceThatRunsBeforeItsEvent() {
        SessionQueue q = queue();
        QueueFakes.Fake c = checking(q);

        // The shell's stop: the engine's state is STOPPED at once, its event is emitted after;
        // meanwhile the session's thread rebalances (an event of another torrent asked it to).
        c.state = TorrentState.STOPPED;
        q.rebalance();
        q.onEvent(changed(c, c.state)); // the engine reads the state as it emits
        assertStoppedByHand(q, c);
    }

    @Test
    void anEventOfAStateBeforeTheStopArrivingAfterItDoesNotStartTheTorrentAgain() {
        SessionQueue q = queue();
        QueueFakes.Fake c = checking(q);

        // The storage opened on a disk thread, which made its DOWNLOADING event; before it
        // reached the queue, the shell stopped the torrent and the STOPPED event arrived.
        c.state = TorrentState.DOWNLOADING;
        TorrentEvent opened = changed(c, TorrentState.DOWNLOADING);
        c.stop();
        q.onEvent(opened);
        assertStoppedByHand(q, c);
    }

    @Test
    void aTorrentTheQueueStopsForWantOfASlotStaysWantedWhenItsEventsComeTwice() {
        SessionQueue q = queue(1);
        engine.add(1, false, false);
        QueueFakes.Fake b = engine.add(2, false, false);
        drain();
        assertEquals(TorrentState.STOPPED, b.state);
        assertTrue(q.queued(b.hash));

        q.onEvent(changed(b, TorrentState.STOPPED)); // a repeated event: the same state, nothing new
        drain();
        assertTrue(q.wanted(b.hash), "a queued torrent stays wanted");
        assertTrue(q.queued(b.hash));
    }
}
