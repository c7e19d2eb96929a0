package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The outbox hands each connection its messages as one batch per flush, in the order they were decided. */
class OutboxTest {
    @Test
    void oneFlushIsOneBatchPerConnectionInOrder() {
        Outbox outbox = new Outbox();
        FakeConnection a = new FakeConnection();
        FakeConnection b = new FakeConnection();
        outbox.interested(a, true);
        outbox.have(b, 1);
        outbox.request(a, 2, 0, 16384);
        outbox.have(a, 1);
        outbox.request(b, 3, 16384, 16384);
        outbox.cancel(a, 2, 0, 16384);
        outbox.flush();
        assertEquals(List.of("interested", "request 2 0 16384", "have 1", "cancel 2 0 16384"), a.sent());
        assertEquals(List.of("have 1", "request 3 16384 16384"), b.sent());
        assertEquals(1, a.batches());
        assertEquals(1, b.batches());
        assertEquals(4, a.sentInBatch(), "every message of a went out in its batch");
        assertEquals(2, b.sentInBatch(), "every message of b went out in its batch");
    }

    @Test
    void aLaterFlushIsALaterBatch() {
        Outbox outbox = new Outbox();
        FakeConnection a = new FakeConnection();
        outbox.have(a, 1);
        outbox.flush();
        outbox.have(a, 2);
        outbox.flush();
        outbox.flush(); // nothing queued: no empty batch
        assertEquals(List.of("have 1", "have 2"), a.sent());
        assertEquals(2, a.batches());
    }
}
