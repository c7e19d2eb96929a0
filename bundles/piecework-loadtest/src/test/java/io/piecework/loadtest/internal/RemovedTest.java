package io.piecework.loadtest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RemovedTest {
    private static List<Object> torrents(int n) {
        List<Object> handles = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            handles.add(new byte[1024]);
        }
        return handles;
    }

    @Test
    void countsTheRemovedTorrentsSomethingStillHolds() throws InterruptedException {
        List<Object> handles = torrents(10);
        Object held = handles.get(3); // as the engine's dial queue held removed torrents
        Removed removed = new Removed(handles);
        handles = null;
        Heap.usedAfterGc();
        assertEquals(10, removed.count());
        assertEquals(1, removed.reachable(), "only the one still held");
        assertEquals(1, removed.awaitUnreachable(System.nanoTime()), "still held when the wait ends");
        assertEquals(1024, ((byte[]) held).length);
        assertEquals(0, Removed.NONE.reachable());
    }

    /** As an event loop lets go of its closed connections' sessions once it gets to them. */
    @Test
    void waitsUntilATemporaryHolderLetsGo() throws InterruptedException {
        List<Object> handles = torrents(5);
        AtomicReference<Object> holder = new AtomicReference<>(handles.get(0));
        Removed removed = new Removed(handles);
        handles = null;
        CountDownLatch go = new CountDownLatch(1);
        Thread loop = new Thread(() -> {
            try {
                go.await();
                holder.set(null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        loop.start();
        go.countDown(); // lets go while the wait runs (or before it)
        assertEquals(0, removed.awaitUnreachable(System.nanoTime() + TimeUnit.SECONDS.toNanos(30)));
        loop.join(TimeUnit.SECONDS.toMillis(30));
    }
}
