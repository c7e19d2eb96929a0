package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UploadQueueTest {
    private final Uploads.Queue queue = new Uploads.Queue(null, null, 3);

    @Test
    void schedulesOneDrainerPerWaitingRequestUpToTwoAndRefusesPastCapacity() {
        assertEquals(0, queue.offer(1, 0, 16384), "an idle queue schedules its first drainer");
        assertEquals(1, queue.offer(1, 16384, 16384), "a second waiting request starts the second");
        assertEquals(Uploads.Queue.SCHEDULED, queue.offer(1, 32768, 16384));
        assertEquals(Uploads.Queue.FULL, queue.offer(1, 49152, 16384));
        assertEquals(3, queue.size());
    }

    @Test
    void drainersTakeRequestsInOrderAcrossTheRingsWrapAndGoIdleWhenEmpty() {
        queue.offer(1, 0, 16384);
        assertTrue(queue.poll(0));
        assertArrayEquals(new int[] {1, 0, 16384}, queue.polled[0]);
        for (int i = 1; i <= 3; i++) {
            queue.offer(2, i, 100 + i); // wraps past the ring's end
        }
        for (int i = 1; i <= 3; i++) {
            assertTrue(queue.poll(0));
            assertArrayEquals(new int[] {2, i, 100 + i}, queue.polled[0]);
        }
        assertFalse(queue.poll(0));
        assertEquals(Uploads.Queue.SCHEDULED, queue.offer(3, 0, 1), "drainer 1, scheduled above, will take it");
        assertTrue(queue.poll(1));
        assertFalse(queue.poll(1));
        assertEquals(0, queue.offer(3, 1, 1), "an idle drainer is scheduled again");
    }

    @Test
    void clearingLeavesNothingForTheDrainerWhichThenGoesIdle() {
        queue.offer(1, 0, 1);
        queue.offer(1, 1, 1);
        queue.clear();
        assertFalse(queue.poll(0));
        assertFalse(queue.poll(1));
        assertEquals(0, queue.offer(1, 2, 1));
    }

    @Test
    void theRingIsMadeAtTheFirstRequestGrowsToTheCapacityAndIsGivenBackWhenEmpty() {
        Uploads.Queue big = new Uploads.Queue(null, null, 1000);
        assertEquals(0, big.allocated(), "a peer that asks nothing holds no ring");
        for (int i = 0; i < 1000; i++) {
            big.offer(i, 0, 16384);
        }
        assertEquals(1000, big.allocated());
        assertEquals(Uploads.Queue.FULL, big.offer(0, 0, 1), "never past the capacity");
        for (int i = 0; i < 1000; i++) {
            assertTrue(big.poll(0));
            assertEquals(i, big.polled[0][0], "in order across every growth");
        }
        assertFalse(big.poll(0), "drained: both drainers go idle");
        assertFalse(big.poll(1));
        big.release();
        assertEquals(0, big.allocated());
        assertEquals(0, big.offer(7, 0, 1), "made again");
        big.release();
        assertEquals(Uploads.Queue.FIRST_CAPACITY, big.allocated(), "not while a request waits");
    }

    @Test
    void growingKeepsTheOrderOfARingThatHadWrapped() {
        Uploads.Queue q = new Uploads.Queue(null, null, 100);
        for (int i = 0; i < Uploads.Queue.FIRST_CAPACITY; i++) {
            q.offer(i, 0, 1);
        }
        for (int i = 0; i < 5; i++) {
            q.poll(0);
        }
        for (int i = Uploads.Queue.FIRST_CAPACITY; i < 40; i++) {
            q.offer(i, 0, 1); // wraps, then grows
        }
        for (int i = 5; i < 40; i++) {
            assertTrue(q.poll(0));
            assertEquals(i, q.polled[0][0]);
        }
        assertFalse(q.poll(0));
    }

    @Test
    void aPeerThatAsksNothingHoldsNoDrainerTasks() {
        // Thousands of idle connections: each queue's tasks and slots are made at its first request.
        Uploads.Queue idle = new Uploads.Queue(null, null, 1000);
        assertFalse(idle.drainersMade());
        assertEquals(0, idle.offer(1, 0, 16384));
        assertTrue(idle.drainersMade());
        assertTrue(idle.poll(0));
        assertArrayEquals(new int[] {1, 0, 16384}, idle.polled[0]);
    }
}
