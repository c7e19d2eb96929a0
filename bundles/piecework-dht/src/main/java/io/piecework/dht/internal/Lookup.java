package io.piecework.dht.internal;

import io.piecework.dht.KrpcCodec;
import io.piecework.dht.KrpcMessage;
import io.piecework.dht.NodeId;
import io.piecework.dht.NodeInfo;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * An iterative find_node or get_peers lookup (BEP 5): at most {@link #ALPHA} queries in flight,
 * always to the closest candidates not yet asked, until the {@link RoutingTable#K} closest that
 * are still alive have all answered. Runs on the node's loop; each query is bounded by the
 * node's timeout and the candidate set by {@link #MAX_CANDIDATES}, so every lookup ends.
 */
final class Lookup {
    static final int ALPHA = 3;
    static final int MAX_CANDIDATES = 64;
    static final int MAX_QUERIES = 256;

    /** A node that answered, with the token it gave (get_peers), for announce_peer. */
    record Responder(NodeInfo node, byte[] token) {
    }

    private enum State { NEW, ASKED, ANSWERED, FAILED }

    private static final class Candidate {
        final NodeInfo node;
        State state = State.NEW;
        byte[] token;

        Candidate(NodeInfo node) {
            this.node = node;
        }
    }

    private final Node node;
    private final NodeId target;
    private final boolean getPeers;
    private final Consumer<List<InetSocketAddress>> onPeers;
    private final Set<String> want;
    private final TreeMap<NodeId, Candidate> candidates;
    private final Set<InetSocketAddress> asked = new HashSet<>();
    private final Set<InetSocketAddress> peers = new HashSet<>();
    private final CompletableFuture<List<Responder>> done = new CompletableFuture<>();
    private int inFlight;
    private int queries;

    Lookup(Node node, NodeId target, boolean getPeers, Consumer<List<InetSocketAddress>> onPeers) {
        this(node, target, getPeers, onPeers, Set.of());
    }

    /** {@code want}: BEP 32 flags sent with every query of this lookup. */
    Lookup(Node node, NodeId target, boolean getPeers, Consumer<List<InetSocketAddress>> onPeers, Set<String> want) {
        this.node = node;
        this.want = want;
        this.target = target;
        this.getPeers = getPeers;
        this.onPeers = onPeers;
        this.candidates = new TreeMap<>(target::closer);
    }

    CompletableFuture<List<Responder>> done() {
        return done;
    }

    /** Starts from known nodes and from addresses whose ids we do not know yet (bootstrap nodes). */
    void start(List<NodeInfo> known, List<InetSocketAddress> seeds) {
        known.forEach(this::offer);
        for (InetSocketAddress s : seeds) {
            if (asked.add(s)) {
                ask(s, null, null);
            }
        }
        step();
    }

    private void offer(NodeInfo n) {
        if (n.id().equals(node.id()) || candidates.containsKey(n.id()) || asked.contains(n.address())) {
            return;
        }
        candidates.put(n.id(), new Candidate(n));
        while (candidates.size() > MAX_CANDIDATES) {
            candidates.pollLastEntry();
        }
    }

    private void step() {
        if (done.isDone()) {
            return;
        }
        int considered = 0;
        for (Candidate c : candidates.values()) {
            if (c.state == State.FAILED) {
                continue;
            }
            if (considered++ >= RoutingTable.K) {
                break;
            }
            if (c.state == State.NEW && inFlight < ALPHA && queries < MAX_QUERIES && asked.add(c.node.address())) {
                c.state = State.ASKED;
                ask(c.node.address(), c.node.id(), c);
            } else if (c.state == State.NEW && asked.contains(c.node.address())) {
                c.state = State.FAILED; // the same address under another id: asked already
            }
        }
        if (inFlight == 0) {
            List<Responder> out = new ArrayList<>();
            for (Candidate c : candidates.values()) {
                if (c.state == State.ANSWERED && out.size() < RoutingTable.K) {
                    out.add(new Responder(c.node, c.token));
                }
            }
            done.complete(out);
        }
    }

    private void ask(InetSocketAddress to, NodeId expected, Candidate c) {
        inFlight++;
        queries++;
        NodeId self = node.id();
        boolean ro = node.readOnly();
        node.send(to, expected, tx -> getPeers ? KrpcCodec.getPeers(tx, self, target, ro, want)
                : KrpcCodec.findNode(tx, self, target, ro, want)).whenCompleteAsync((r, e) -> {
                    // Always a later turn of the loop, even when sending failed at once: step() is not re-entered.
                    inFlight--;
                    if (e != null) {
                        if (c != null) {
                            c.state = State.FAILED;
                        }
                    } else {
                        answered(to, c, r);
                    }
                    step();
                }, node.loop());
    }

    private void answered(InetSocketAddress from, Candidate c, KrpcMessage.Response r) {
        Candidate me = c;
        if (me == null) {
            // A seed: now we know its id, it can be an announce target like any other.
            me = new Candidate(new NodeInfo(r.id(), from));
            if (!r.id().equals(node.id())) {
                candidates.putIfAbsent(r.id(), me);
            }
        }
        me.state = State.ANSWERED;
        me.token = r.token();
        // Our family's nodes continue the lookup; the other family's (asked for while joining) go to
        // the sibling node, which pings them before they may enter its table.
        (node.ipv6() ? r.nodes6() : r.nodes()).forEach(this::offer);
        Node sibling = node.sibling();
        if (sibling != null) {
            (node.ipv6() ? r.nodes() : r.nodes6()).forEach(sibling::consider);
        }
        if (getPeers && !r.values().isEmpty()) {
            List<InetSocketAddress> fresh = new ArrayList<>();
            for (InetSocketAddress p : r.values()) {
                if (peers.size() < 10_000 && peers.add(p)) {
                    fresh.add(p);
                }
            }
            if (!fresh.isEmpty()) {
                onPeers.accept(List.copyOf(fresh));
            }
        }
    }
}
