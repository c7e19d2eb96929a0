package io.piecework.compare.internal;

import io.piecework.api.strategy.RequestStrategy;
import java.util.ArrayList;
import java.util.List;

/**
 * The comparison's swarm on one thread in simulated time: every delivery, have, choke and
 * reconnection happens in the same order for the same seed, so two strategies that should
 * request the same blocks can be compared request by request. Not for measuring: the strategy
 * must not use threads of its own to request.
 */
public final class VirtualRun {
    /**
     * @param requests     every request made while downloading, as "torrent/peer:piece x blocks"
     * @param idleRequests blocks requested after every torrent went idle
     */
    public record Outcome(List<String> requests, long idleRequests) {
    }

    private VirtualRun() {
    }

    /** Downloads for {@code seconds} of simulated time, then idles as long. */
    public static Outcome run(RequestStrategy strategy, int torrents, int peers, int pieces, double seconds, long seed)
            throws InterruptedException {
        Scenario scenario = new Scenario(torrents, peers, pieces, 16, seconds, 0, seconds, 1, seed,
                Scenario.DEFAULT_LINK_MIB);
        List<List<String>> logs = new ArrayList<>();
        Swarm swarm = new Swarm(scenario, strategy, true, t -> logs.add(t.torrent.recordRequests()));
        try {
            Worker worker = swarm.workers()[0];
            long end = (long) (seconds * 1e9);
            worker.runUntil(end);
            List<String> requests = new ArrayList<>();
            for (int t = 0; t < logs.size(); t++) {
                for (String r : logs.get(t)) {
                    requests.add(t + "/" + r);
                }
            }
            swarm.goIdle();
            long before = swarm.blocksRequested();
            worker.runUntil(2 * end);
            return new Outcome(requests, swarm.blocksRequested() - before);
        } finally {
            swarm.close();
        }
    }
}
