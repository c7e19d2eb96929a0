package io.piecework.loadtest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemovedTest {
    @Test
    void countsTheRemovedTorrentsSomethingStillHolds() throws InterruptedException {
        List<Object> handles = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            handles.add(new byte[1024]);
        }
        Object held = handles.get(3); // as the engine's dial queue held removed torrents
        Removed removed = new Removed(handles);
        handles = null;
        Heap.usedAfterGc();
        assertEquals(10, removed.count());
        assertEquals(1, removed.reachable(), "only the one still held");
        assertEquals(1024, ((byte[]) held).length);
        assertEquals(0, Removed.NONE.reachable());
    }
}
