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
}
