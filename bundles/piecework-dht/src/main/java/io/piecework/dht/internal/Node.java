package io.piecework.dht.internal;

import io.piecework.api.text.Untrusted;
import io.piecework.dht.KrpcCodec;
import io.piecework.dht.KrpcException;
import io.piecework.dht.KrpcMessage;
import io.piecework.dht.NodeId;
import io.piecework.dht.NodeInfo;
import io.piecework.dht.SecureNodeId;
import java.net.InetAddress;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DHT node (BEP 5) without sockets: datagrams come in through {@link #receive}, go out
 * through a {@link Transport}. All state is confined to one thread, the {@code loop} (the
 * socket's event loop in production): every method must run on it, so nothing here locks.
 * A node serves one address family (BEP 32: the IPv4 and IPv6 DHTs are separate, with their own
 * tables and stores); a dual-stack host runs two, {@link #pair paired} on the same loop, so a
 * query's {@code want} can be answered from the other family's table.
 */
final class Node {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    /** Peers in one get_peers reply: 50 compact values keep the reply near 600 bytes. */
    static final int MAX_VALUES_SENT = 50;
    /** IPv6 values are 18 bytes: 25 of them cost what 50 IPv4 ones do. */
    static final int MAX_VALUES_SENT6 = 25;
    /** No reply we send is larger; a KRPC query is about 100 bytes, so amplification stays bounded. */
    static final int MAX_REPLY = 1024;

    interface Transport {
        void send(InetSocketAddress to, byte[] datagram);
    }

    /** The node answered with a KRPC error. */
    static final class RemoteError extends Exception {
        private static final long serialVersionUID = 1L;

        RemoteError(KrpcMessage.Error e) {
            super(e.code() + " " + Untrusted.text(e.message()), null, false, false); // the remote's words
        }
    }

    private record Pending(InetSocketAddress to, NodeId expected, CompletableFuture<KrpcMessage.Response> reply,
                           ScheduledFuture<?> timeout) {
    }

    private final DhtSettings settings;
    private final boolean ipv6;
    private final NodeId id;
    private final ScheduledExecutorService loop;
    private final Transport transport;
    private final Random random;
    private final LongSupplier clock;
    private final RoutingTable table;
    private final Tokens tokens;
    private final PeerStore store;
    private final RateLimiter limiter;
    private final Map<String, Pending> pending = new HashMap<>();
    private final ExternalAddress external = new ExternalAddress();
    final LongAdder dropped = new LongAdder();
    final LongAdder limited = new LongAdder();
    final LongAdder answered = new LongAdder();
    /** The other family's node on the same loop, or null on a single-stack host. */
    private Node sibling;

    Node(DhtSettings settings, NodeId id, ScheduledExecutorService loop, Transport transport, Random random,
         LongSupplier clock) {
        this(settings, false, id, loop, transport, random, clock);
    }

    Node(DhtSettings settings, boolean ipv6, NodeId id, ScheduledExecutorService loop, Transport transport,
         Random random, LongSupplier clock) {
        this.settings = settings;
        this.ipv6 = ipv6;
        this.id = id;
        this.loop = loop;
        this.transport = transport;
        this.random = random;
        this.clock = clock;
        long now = clock.getAsLong();
        this.table = new RoutingTable(id, now);
        this.tokens = new Tokens(random, clock, DhtSettings.TOKEN_ROTATION.toNanos());
        this.store = new PeerStore(settings.maxTorrents(), settings.maxPeersPerTorrent(), settings.peerTtl().toNanos());
        this.limiter = new RateLimiter(settings.queriesPerSecond(), settings.queryBurst(), 4096);
    }

    NodeId id() {
        return id;
    }

    boolean ipv6() {
        return ipv6;
    }

    /** Our external address once the nodes that answer us agree on it (BEP 42), else null. */
    InetAddress externalAddress() {
        return external.decided();
    }

    private void heardOurAddress(InetSocketAddress from, InetSocketAddress ip) {
        if (ip == null || (ip.getAddress() instanceof Inet6Address) != ipv6) {
            return;
        }
        InetAddress ours = external.vote(from.getAddress(), ip.getAddress());
        if (ours != null && !SecureNodeId.matches(id, ours)) {
            LOG.info("DHT: our node id does not match our external address {} (BEP 42); the next start uses one "
                    + "that does", ours.getHostAddress());
        }
    }

    /** Pairs an IPv4 and an IPv6 node that share one loop and one id (BEP 32 asks for the same id). */
    static void pair(Node a, Node b) {
        if (a.ipv6 == b.ipv6 || a.loop != b.loop || !a.id.equals(b.id)) {
            throw new IllegalArgumentException("a pair is one IPv4 and one IPv6 node on one loop with one id");
        }
        a.sibling = b;
        b.sibling = a;
    }

    Node sibling() {
        return sibling;
    }

    /** The flags of our own find_node/get_peers: BEP 32 bootstrapping asks for both families when we have both. */
    Set<String> want(boolean joining) {
        if (joining && sibling != null) {
            return Set.of(KrpcMessage.WANT_N4, KrpcMessage.WANT_N6);
        }
        return ipv6 ? Set.of(KrpcMessage.WANT_N6) : Set.of(); // IPv4 without want: plain BEP 5
    }

    RoutingTable table() {
        return table;
    }

    PeerStore store() {
        return store;
    }

    ScheduledExecutorService loop() {
        return loop;
    }

    Random random() {
        return random;
    }

    long now() {
        return clock.getAsLong();
    }

    boolean readOnly() {
        return settings.readOnly();
    }

    int pendingCount() {
        return pending.size();
    }

    int rateLimitedSources() {
        return limiter.sources();
    }

    /** One datagram from {@code from}; never throws, whatever the bytes. */
    void receive(InetSocketAddress from, ByteBuffer data) {
        if ((from.getAddress() instanceof Inet6Address) != ipv6 || from.getPort() == 0) {
            dropped.increment();
            return;
        }
        KrpcMessage m;
        try {
            m = KrpcCodec.decode(data);
        } catch (KrpcException e) {
            dropped.increment();
            byte[] tx = e.transaction();
            if (tx != null && !settings.readOnly() && limiter.allow(from.getAddress(), now())) {
                transport.send(from, KrpcCodec.error(tx, 203, "protocol error"));
            }
            LOG.debug("malformed KRPC from {}: {}", from, Untrusted.text(e.getMessage()));
            return;
        }
        if (m instanceof KrpcMessage.Query q) {
            query(from, q);
        } else if (m instanceof KrpcMessage.Response r) {
            Pending p = take(from, r.transaction());
            if (p != null) {
                table.heard(new NodeInfo(r.id(), from), now());
                heardOurAddress(from, r.ip());
                p.reply.complete(r);
            }
        } else {
            KrpcMessage.Error e = (KrpcMessage.Error) m;
            Pending p = take(from, e.transaction());
            if (p != null) {
                p.reply.completeExceptionally(new RemoteError(e));
            }
        }
    }

    private Pending take(InetSocketAddress from, byte[] tx) {
        String key = new String(tx, StandardCharsets.ISO_8859_1);
        Pending p = pending.get(key);
        if (p == null || !p.to.equals(from)) {
            dropped.increment(); // unsolicited, late, or from another address than we asked
            return null;
        }
        pending.remove(key);
        p.timeout.cancel(false);
        return p;
    }

    private void query(InetSocketAddress from, KrpcMessage.Query q) {
        if (settings.readOnly()) {
            dropped.increment(); // BEP 43: a read-only node does not serve
            return;
        }
        long now = now();
        if (!limiter.allow(from.getAddress(), now)) {
            limited.increment();
            return;
        }
        if (!q.readOnly()) {
            learn(new NodeInfo(q.id(), from));
        }
        byte[] reply;
        switch (q.method()) {
            case "ping":
                reply = KrpcCodec.response(q.transaction(), id, List.of(), List.of(), List.of(), null, from);
                break;
            case "find_node":
                reply = KrpcCodec.response(q.transaction(), id, closest(q, false), closest(q, true), List.of(), null,
                        from);
                break;
            case "get_peers": {
                List<InetSocketAddress> values = store.peers(q.target(), ipv6 ? MAX_VALUES_SENT6 : MAX_VALUES_SENT,
                        now, random);
                // Nodes too, even with values (as libtorrent does): the lookup goes on to the closest nodes,
                // which are the ones to announce to. Values are halved below if both node lists leave no room.
                byte[] token = tokens.issue(from.getAddress());
                List<NodeInfo> nodes = closest(q, false);
                List<NodeInfo> nodes6 = closest(q, true);
                reply = KrpcCodec.response(q.transaction(), id, nodes, nodes6, values, token, from);
                while (reply.length > MAX_REPLY && !values.isEmpty()) {
                    values = values.subList(0, values.size() / 2);
                    reply = KrpcCodec.response(q.transaction(), id, nodes, nodes6, values, token, from);
                }
                break;
            }
            case "announce_peer":
                if (!tokens.valid(q.token(), from.getAddress())) {
                    reply = KrpcCodec.error(q.transaction(), 203, "bad token");
                } else {
                    int port = q.impliedPort() ? from.getPort() : q.port();
                    store.add(q.target(), new InetSocketAddress(from.getAddress(), port), now);
                    reply = KrpcCodec.response(q.transaction(), id, List.of(), List.of(), List.of(), null, from);
                }
                break;
            default:
                reply = KrpcCodec.error(q.transaction(), 204, "method unknown");
                break;
        }
        if (reply.length > MAX_REPLY) {
            dropped.increment(); // cannot happen with the caps above; never amplify if it does
            return;
        }
        answered.increment();
        transport.send(from, reply);
    }

    /**
     * The closest nodes of one family for a find_node/get_peers reply: BEP 32's {@code want}
     * decides which lists go in; without it, the family the query came over.
     */
    private List<NodeInfo> closest(KrpcMessage.Query q, boolean family6) {
        boolean wanted = q.want().isEmpty() ? family6 == ipv6 : q.want().contains(family6 ? KrpcMessage.WANT_N6
                : KrpcMessage.WANT_N4);
        Node source = family6 == ipv6 ? this : sibling;
        return wanted && source != null ? source.table.closest(q.target(), RoutingTable.K) : List.of();
    }

    /**
     * A node of our family heard of through the other family's lookup (BEP 32 "leaking"): it
     * may enter only by answering a ping, like a node that queried us.
     */
    void consider(NodeInfo n) {
        if (n.isIpv6() == ipv6 && !n.id().equals(id) && !table.contains(n.id())) {
            learn(n);
        }
    }

    /** A node queried us: refresh it, or check it answers before it may take a free place. */
    private void learn(NodeInfo n) {
        if (table.contains(n.id())) {
            table.heard(n, now());
        } else if (table.hasRoomFor(n.id()) && pending.size() < settings.maxPending() / 2) {
            ping(n.address());
        }
    }

    /** Pings {@code to}; it joins the routing table if it answers. */
    CompletableFuture<KrpcMessage.Response> ping(InetSocketAddress to) {
        return send(to, null, tx -> KrpcCodec.ping(tx, id, settings.readOnly()));
    }

    /**
     * Sends a query built by {@code encoder} from a fresh transaction id; the future completes
     * with the response, or fails on a KRPC error, after the query timeout, or at once when too
     * many queries are in flight.
     */
    CompletableFuture<KrpcMessage.Response> send(InetSocketAddress to, NodeId expected, Function<byte[], byte[]> encoder) {
        CompletableFuture<KrpcMessage.Response> reply = new CompletableFuture<>();
        if (pending.size() >= settings.maxPending()) {
            reply.completeExceptionally(new IllegalStateException("too many queries in flight"));
            return reply;
        }
        byte[] tx = new byte[4];
        String key;
        do {
            random.nextBytes(tx);
            key = new String(tx, StandardCharsets.ISO_8859_1);
        } while (pending.containsKey(key));
        String k = key;
        ScheduledFuture<?> timeout;
        try {
            timeout = loop.schedule(() -> timedOut(k), settings.queryTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            reply.completeExceptionally(e);
            return reply;
        }
        pending.put(key, new Pending(to, expected, reply, timeout));
        transport.send(to, encoder.apply(tx));
        return reply;
    }

    private void timedOut(String key) {
        Pending p = pending.remove(key);
        if (p != null) {
            table.failed(p.to, p.expected, now());
            p.reply.completeExceptionally(new TimeoutException("no answer from " + p.to));
        }
    }

    /** Starts an iterative lookup; see {@link Lookup}. */
    CompletableFuture<List<Lookup.Responder>> lookup(NodeId target, boolean getPeers, List<InetSocketAddress> seeds,
                                                    Consumer<List<InetSocketAddress>> peers) {
        return lookup(target, getPeers, seeds, peers, false);
    }

    /** A lookup; {@code joining} asks for both families' nodes (BEP 32 bootstrapping). */
    CompletableFuture<List<Lookup.Responder>> lookup(NodeId target, boolean getPeers, List<InetSocketAddress> seeds,
                                                    Consumer<List<InetSocketAddress>> peers, boolean joining) {
        Lookup l = new Lookup(this, target, getPeers, peers, want(joining));
        l.start(table.closest(target, RoutingTable.K), seeds);
        return l.done();
    }

    /** Periodic care: expire stored peers, ping quiet nodes, refresh quiet buckets. */
    void maintain() {
        long now = now();
        store.purge(now);
        long quiet = now - DhtSettings.BUCKET_REFRESH.toNanos();
        for (NodeInfo n : table.questionable(quiet, 4)) {
            send(n.address(), n.id(), tx -> KrpcCodec.ping(tx, id, settings.readOnly()));
        }
        int refreshed = 0;
        for (int b : table.stale(quiet)) {
            if (refreshed++ >= 2) {
                break;
            }
            table.refreshed(b, now);
            lookup(id.randomWithPrefix(b, random), false, List.of(), p -> { });
        }
    }

    /** Fails every query in flight: the node is closing. */
    void close() {
        for (Pending p : List.copyOf(pending.values())) {
            p.timeout.cancel(false);
            p.reply.completeExceptionally(new IllegalStateException("node closed"));
        }
        pending.clear();
    }
}
