package io.piecework.dht.internal;

import io.piecework.dht.NodeId;
import io.piecework.dht.NodeInfo;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * BEP 5's routing table as 160 buckets of K = 8, bucket i holding the nodes that share exactly
 * i leading bits with our id: the same shape a fully split table reaches, bounded at 1 280
 * nodes plus K replacement candidates per bucket. Good nodes are never evicted; a node that
 * failed {@link #MAX_FAILURES} times in a row makes room for the newest candidate. Not thread
 * safe: the node's event loop owns it.
 */
final class RoutingTable {
    static final int K = 8;
    static final int MAX_FAILURES = 2;

    static final class Entry {
        NodeInfo info;
        long lastSeen;
        int failures;

        Entry(NodeInfo info, long lastSeen) {
            this.info = info;
            this.lastSeen = lastSeen;
        }

        boolean bad() {
            return failures >= MAX_FAILURES;
        }
    }

    private final NodeId own;
    private final List<List<Entry>> buckets = new ArrayList<>(NodeId.BITS);
    private final List<Deque<NodeInfo>> replacements = new ArrayList<>(NodeId.BITS);
    private final long[] changed = new long[NodeId.BITS];

    RoutingTable(NodeId own, long now) {
        this.own = own;
        for (int i = 0; i < NodeId.BITS; i++) {
            buckets.add(new ArrayList<>(K));
            replacements.add(new ArrayDeque<>(K));
            changed[i] = now;
        }
    }

    NodeId own() {
        return own;
    }

    int bucketOf(NodeId id) {
        return own.commonPrefix(id);
    }

    /** A node answered one of our queries: add or refresh it. Returns whether it is in the table. */
    boolean heard(NodeInfo n, long now) {
        int b = bucketOf(n.id());
        if (b >= NodeId.BITS) {
            return false; // our own id
        }
        List<Entry> bucket = buckets.get(b);
        for (Entry e : bucket) {
            if (e.info.id().equals(n.id())) {
                if (!e.info.address().equals(n.address())) {
                    if (!e.bad()) {
                        return false; // a good node keeps its address: no hijacking by id
                    }
                    e.info = n;
                }
                e.lastSeen = now;
                e.failures = 0;
                changed[b] = now;
                return true;
            }
            if (e.info.address().equals(n.address()) && !e.bad()) {
                return false; // one id per address
            }
        }
        if (bucket.size() < K) {
            bucket.add(new Entry(n, now));
            changed[b] = now;
            return true;
        }
        for (int i = 0; i < bucket.size(); i++) {
            if (bucket.get(i).bad()) {
                bucket.set(i, new Entry(n, now));
                changed[b] = now;
                return true;
            }
        }
        Deque<NodeInfo> r = replacements.get(b);
        r.removeIf(x -> x.id().equals(n.id()) || x.address().equals(n.address()));
        if (r.size() >= K) {
            r.removeFirst();
        }
        r.addLast(n);
        return false;
    }

    /** Whether a node with this id could enter now (space, or a bad node to replace). */
    boolean hasRoomFor(NodeId id) {
        int b = bucketOf(id);
        if (b >= NodeId.BITS) {
            return false;
        }
        List<Entry> bucket = buckets.get(b);
        return bucket.size() < K || bucket.stream().anyMatch(Entry::bad);
    }

    boolean contains(NodeId id) {
        int b = bucketOf(id);
        return b < NodeId.BITS && buckets.get(b).stream().anyMatch(e -> e.info.id().equals(id));
    }

    /** A query to this node timed out; after {@link #MAX_FAILURES} its place goes to a candidate. */
    void failed(InetSocketAddress address, NodeId id, long now) {
        for (int b = 0; b < NodeId.BITS; b++) {
            if (id != null && b != bucketOf(id)) {
                continue;
            }
            List<Entry> bucket = buckets.get(b);
            for (int i = 0; i < bucket.size(); i++) {
                Entry e = bucket.get(i);
                if (e.info.address().equals(address) && (id == null || e.info.id().equals(id))) {
                    e.failures++;
                    NodeInfo next = replacements.get(b).pollLast();
                    if (e.bad() && next != null) {
                        bucket.set(i, new Entry(next, now));
                        changed[b] = now;
                    } else if (next != null) {
                        replacements.get(b).addLast(next);
                    }
                    return;
                }
            }
        }
    }

    /** The {@code n} good or questionable nodes closest to {@code target}, closest first. */
    List<NodeInfo> closest(NodeId target, int n) {
        Comparator<NodeInfo> byDistance = (a, b) -> target.closer(a.id(), b.id());
        List<NodeInfo> all = new ArrayList<>();
        for (List<Entry> bucket : buckets) {
            for (Entry e : bucket) {
                if (!e.bad()) {
                    all.add(e.info);
                }
            }
        }
        all.sort(byDistance);
        return all.size() <= n ? all : new ArrayList<>(all.subList(0, n));
    }

    /** Nodes not heard from since {@code before}: to be pinged, at most {@code n}. */
    List<NodeInfo> questionable(long before, int n) {
        List<NodeInfo> out = new ArrayList<>();
        for (List<Entry> bucket : buckets) {
            for (Entry e : bucket) {
                if (e.lastSeen - before < 0 && out.size() < n) {
                    out.add(e.info);
                }
            }
        }
        return out;
    }

    /** Buckets worth refreshing (up to one past the deepest non-empty) unchanged since {@code before}. */
    List<Integer> stale(long before) {
        int deepest = -1;
        for (int b = 0; b < NodeId.BITS; b++) {
            if (!buckets.get(b).isEmpty()) {
                deepest = b;
            }
        }
        List<Integer> out = new ArrayList<>();
        for (int b = 0; b <= Math.min(NodeId.BITS - 1, deepest + 1); b++) {
            if (changed[b] - before < 0) {
                out.add(b);
            }
        }
        return out;
    }

    void refreshed(int bucket, long now) {
        changed[bucket] = now;
    }

    int size() {
        int n = 0;
        for (List<Entry> bucket : buckets) {
            n += bucket.size();
        }
        return n;
    }

    int replacementCount() {
        return replacements.stream().mapToInt(Deque::size).sum();
    }

    /** Every node in the table, for saving. */
    List<NodeInfo> all() {
        List<NodeInfo> out = new ArrayList<>();
        buckets.forEach(b -> b.forEach(e -> out.add(e.info)));
        return out;
    }
}
