package io.piecework.rpc.transmission.internal;

import io.piecework.api.engine.QueueLimits;
import io.piecework.api.engine.SeedLimits;
import io.piecework.api.engine.TorrentQueue;
import io.piecework.api.metainfo.InfoHash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A queue that records what the RPC asks of it; who is queued is set by the test. */
final class FakeQueue implements TorrentQueue {
    final List<String> calls = new ArrayList<>();
    final List<InfoHash> order = new ArrayList<>();
    final Set<InfoHash> queued = new HashSet<>();
    final Map<InfoHash, SeedLimits> seeds = new HashMap<>();
    QueueLimits limits = new QueueLimits(true, 5, false, 10, false, 2.0, false, 30);

    @Override public int position(InfoHash t) { return order.indexOf(t); }
    @Override public boolean queued(InfoHash t) { return queued.contains(t); }
    @Override public boolean finished(InfoHash t) { return false; }
    @Override public void start(InfoHash t, boolean now) { calls.add((now ? "start-now " : "start ") + t.hex()); }
    @Override public void stop(InfoHash t) { calls.add("stop " + t.hex()); }
    @Override public void move(List<InfoHash> torrents, Move move) {
        calls.add("move " + move + " " + torrents.stream().map(InfoHash::hex).toList());
        if (move == Move.TOP) {
            order.removeAll(torrents);
            order.addAll(0, torrents);
        } else if (move == Move.DOWN) {
            for (InfoHash h : torrents) {
                int i = order.indexOf(h);
                if (i < order.size() - 1) {
                    order.set(i, order.get(i + 1));
                    order.set(i + 1, h);
                }
            }
        }
    }
    @Override public QueueLimits limits() { return limits; }
    @Override public void limits(QueueLimits next) { calls.add("limits"); limits = next; }
    @Override public SeedLimits seedLimits(InfoHash t) { return seeds.getOrDefault(t, SeedLimits.GLOBAL); }
    @Override public void seedLimits(InfoHash t, SeedLimits next) { seeds.put(t, next); }
    final Map<InfoHash, List<String>> labels = new HashMap<>();
    @Override public List<String> labels(InfoHash t) { return labels.getOrDefault(t, List.of()); }
    @Override public void labels(InfoHash t, List<String> next) { labels.put(t, next); }
    final Map<InfoHash, long[]> earlier = new HashMap<>();
    @Override public long[] earlierTotals(InfoHash t) { return earlier.getOrDefault(t, new long[] {0, 0}); }
}
