package io.piecework.compare.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VirtualRunTest {
    @Test
    void theSameSeedGivesTheSameRequests() throws Exception {
        VirtualRun.Outcome a = VirtualRun.run(new LowestFirstStrategy(), 3, 5, 64, 5, 7);
        VirtualRun.Outcome b = VirtualRun.run(new LowestFirstStrategy(), 3, 5, 64, 5, 7);
        assertTrue(a.requests().size() > 100, "a busy swarm: " + a.requests().size());
        assertEquals(a.requests(), b.requests());
        VirtualRun.Outcome c = VirtualRun.run(new LowestFirstStrategy(), 3, 5, 64, 5, 8);
        assertNotEquals(a.requests(), c.requests(), "another seed, another swarm");
    }

    @Test
    void anIdleSwarmAsksForNothing() throws Exception {
        VirtualRun.Outcome o = VirtualRun.run(new LowestFirstStrategy(), 4, 6, 128, 3, 1);
        assertTrue(!o.requests().isEmpty());
        assertEquals(0, o.idleRequests());
    }
}
