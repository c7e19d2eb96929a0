package io.piecework.strategy.cached;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.compare.internal.VirtualRun;
import io.piecework.strategy.naive.NaiveStrategy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison's rate-model swarm, in simulated time: cached must ask what naive asks. */
class ComparisonSwarmTest {
    @Test
    void requestsTheSameBlocksAsNaiveThroughDeliveriesChokesAndReconnections() throws Exception {
        VirtualRun.Outcome expected = VirtualRun.run(new NaiveStrategy(), 3, 8, 256, 20, 11);
        VirtualRun.Outcome actual = VirtualRun.run(new CachedStrategy(), 3, 8, 256, 20, 11);
        assertEquals(expected.requests(), actual.requests());
        assertTrue(actual.requests().size() > 1000, "a busy swarm: " + actual.requests().size());
        assertEquals(List.of(0L, 0L), List.of(expected.idleRequests(), actual.idleRequests()), "nothing asked while idle");
    }
}
