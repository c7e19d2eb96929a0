package io.piecework.dht.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.piecework.api.udp.SharedUdpSocket;
import io.piecework.dht.KrpcCodec;
import io.piecework.dht.NodeId;
import io.piecework.dht.NodeInfo;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Node}s on Netty UDP sockets: one for the IPv4 DHT, one for the IPv6 DHT (BEP 32), each
 * optional, sharing one id. Both sockets are on one event loop, the nodes' only thread:
 * datagrams, timeouts, lookups and maintenance all run there, so the nodes need no locks; the
 * methods here hop onto it and may be called from any thread. A host without IPv6 (or without
 * IPv4) runs the other node alone.
 */
final class UdpNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UdpNode.class);
    /** Datagrams from a shared socket waiting for our loop, at most: a second's worth of a busy node. */
    static final int MAX_HOPPING = 1024;

    private final DhtSettings settings;
    private final EventLoopGroup group;
    /** The IPv4 node and socket, or null; likewise the IPv6 ones. At least one is there. */
    private final Channel channel4;
    private final Node node4;
    private final Channel channel6;
    private final Node node6;
    /** Where the IPv4 node's datagrams come from when it is on a socket it shares (uTP's), or null. */
    private final SharedUdpSocket shared;
    private final SharedUdpSocket.Claim claim;
    /** Datagrams handed from the shared socket's thread to ours and not yet read: bounded, so a flood cannot queue up. */
    private final AtomicInteger hopping = new AtomicInteger();
    private final List<InetSocketAddress> restored;
    private volatile List<InetSocketAddress> bootstrap = List.of();
    /** Done once the first join lookup ended: lookups wait for it, or they would start from an empty table. */
    private final CompletableFuture<Void> joined = new CompletableFuture<>();

    UdpNode(DhtSettings settings) throws IOException {
        this(settings, null);
    }

    /**
     * @param offered a socket to put the IPv4 node on instead of one of its own (uTP's, told apart
     *                by the first byte), or null; taken when it is on the configured port (or any
     *                port is configured) and address (or either is the wildcard)
     */
    UdpNode(DhtSettings settings, SharedUdpSocket offered) throws IOException {
        this.settings = settings;
        this.shared = offered != null && sharable(settings, offered.localAddress()) ? offered : null;
        SecureRandom random = new SecureRandom();
        StateFile.State state = StateFile.load(settings.stateFile());
        NodeId id = StateFile.idFor(state, random);
        this.restored = state == null ? List.of() : state.nodes().stream().map(NodeInfo::address).toList();
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Inbound inbound4 = new Inbound();
        Inbound inbound6 = new Inbound();
        try {
            this.channel4 = shared != null || settings.bindAddress().isEmpty() ? null
                    : bind(inbound4, InetAddress.getByName(settings.bindAddress()), settings.port(), true);
            // The same port as the IPv4 node when free, so one BEP 5 port message fits both. Not
            // the shared socket's: uTP offers it before binding, and a dual-stack :: socket on that
            // port took it from uTP (the default configuration's daemon then could not listen).
            int port6 = shared != null ? 0
                    : channel4 != null ? ((InetSocketAddress) channel4.localAddress()).getPort() : settings.port();
            this.channel6 = settings.bindAddress6().isEmpty() ? null : bind6(inbound6, port6);
        } catch (IOException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        if (shared == null && channel4 == null && channel6 == null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("no DHT socket: neither IPv4 (" + settings.bindAddress() + ") nor IPv6 ("
                    + settings.bindAddress6() + ") could be bound");
        }
        ScheduledExecutorService loop = group.next();
        if (shared != null) {
            this.node4 = new Node(settings, false, id, loop, (to, d) -> shared.send(ByteBuffer.wrap(d), to), random,
                    System::nanoTime);
            this.claim = shared.claim(SharedUdpSocket.KRPC, this::sharedDatagram);
            LOG.info("IPv4 DHT on the shared UDP socket {} (uTP's)", shared.localAddress());
        } else {
            this.node4 = channel4 == null ? null
                    : new Node(settings, false, id, loop, (to, d) -> send(channel4, to, d), random, System::nanoTime);
            this.claim = null;
        }
        this.node6 = channel6 == null ? null
                : new Node(settings, true, id, loop, (to, d) -> send(channel6, to, d), random, System::nanoTime);
        if (node4 != null && node6 != null) {
            Node.pair(node4, node6);
        }
        inbound4.node = node4;
        inbound6.node = node6;
        long tick = DhtSettings.MAINTENANCE.toNanos();
        loop.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.NANOSECONDS);
        // Resolving bootstrap names blocks: not on the loop.
        CompletableFuture.supplyAsync(this::resolveBootstrap).thenComposeAsync(addresses -> {
            bootstrap = addresses;
            return join();
        }, loop).whenComplete((v, e) -> joined.complete(null));
    }

    private static boolean sharable(DhtSettings settings, InetSocketAddress at) {
        if (settings.bindAddress().isEmpty() || at.getAddress() instanceof Inet6Address) {
            return false;
        }
        boolean port = settings.port() == 0 || settings.port() == at.getPort();
        String address = at.getAddress().getHostAddress();
        return port && (address.equals("0.0.0.0") || settings.bindAddress().equals("0.0.0.0")
                || settings.bindAddress().equals(address));
    }

    /**
     * A KRPC datagram from the shared socket, on its owner's thread: copied (at most one byte
     * over the limit, so the node still sees and drops an oversized one) and handed to ours.
     */
    private void sharedDatagram(ByteBuffer datagram, InetSocketAddress sender) {
        if (hopping.incrementAndGet() > MAX_HOPPING) {
            hopping.decrementAndGet();
            node4.dropped.increment();
            return;
        }
        byte[] copy = new byte[Math.min(datagram.remaining(), KrpcCodec.MAX_PACKET + 1)];
        datagram.duplicate().get(copy);
        try {
            node4.loop().execute(() -> {
                hopping.decrementAndGet();
                node4.receive(sender, ByteBuffer.wrap(copy));
            });
        } catch (RejectedExecutionException e) {
            hopping.decrementAndGet(); // closing
        }
    }

    /** Binds {@code port}, or a free port when it is taken (a DHT node works on any port). */
    private Channel bind(Inbound inbound, InetAddress address, int port, boolean required) throws IOException {
        ChannelFuture f = bindOnce(inbound, new InetSocketAddress(address, port));
        if (!f.isSuccess() && port != 0) {
            if (address instanceof Inet6Address && channel4 != null
                    && ((InetSocketAddress) channel4.localAddress()).getPort() == port) {
                // Expected: a socket on :: is dual-stack on Linux and cannot share the IPv4 node's port.
                LOG.info("IPv6 DHT on a port of its own: {} is the IPv4 node's", port);
            } else {
                // Another client (or another run of ours) holds the port.
                LOG.warn("DHT port {} on {} is taken ({}); using a free port", port, address, f.cause().toString());
            }
            f = bindOnce(inbound, new InetSocketAddress(address, 0));
        }
        if (!f.isSuccess()) {
            if (required) {
                throw new IOException("cannot bind a UDP port for the DHT on " + address, f.cause());
            }
            LOG.warn("no DHT on {}: {}", address, f.cause().toString());
            return null;
        }
        return f.channel();
    }

    /** The IPv6 socket, or null where the host has no IPv6 (the IPv4 node then runs alone). */
    private Channel bind6(Inbound inbound, int port) {
        try {
            InetAddress address = InetAddress.getByName(settings.bindAddress6());
            if (!(address instanceof Inet6Address)) {
                LOG.warn("DHT bind.address6 {} is not an IPv6 address: no IPv6 DHT", settings.bindAddress6());
                return null;
            }
            return bind(inbound, address, port, channel4 == null);
        } catch (IOException | RuntimeException e) {
            LOG.warn("no IPv6 DHT on {}: {}", settings.bindAddress6(), e.toString());
            return null;
        }
    }

    private ChannelFuture bindOnce(Inbound inbound, InetSocketAddress at) {
        Bootstrap b = new Bootstrap().group(group)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(KrpcCodec.MAX_PACKET + 1))
                .handler(inbound);
        if (at.getAddress() instanceof Inet6Address) {
            b.channelFactory(() -> new NioDatagramChannel(io.netty.channel.socket.SocketProtocolFamily.INET6));
        } else {
            b.channel(NioDatagramChannel.class);
        }
        return b.bind(at).awaitUninterruptibly();
    }

    /** Each name's first IPv4 and first IPv6 address: the two DHTs bootstrap separately. */
    private List<InetSocketAddress> resolveBootstrap() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String s : settings.bootstrap()) {
            if (s.isBlank()) {
                continue; // "bootstrap.nodes=" in a .cfg: none
            }
            int colon = s.lastIndexOf(':');
            try {
                int port = Integer.parseInt(s.substring(colon + 1).trim());
                boolean v4 = false;
                boolean v6 = false;
                for (InetAddress a : InetAddress.getAllByName(s.substring(0, colon).trim())) {
                    boolean six = a instanceof Inet6Address;
                    if (six ? !v6 : !v4) {
                        out.add(new InetSocketAddress(a, port));
                    }
                    v6 |= six;
                    v4 |= !six;
                }
            } catch (IOException | RuntimeException e) {
                LOG.info("DHT bootstrap node '{}' skipped: {}", s, e.toString());
            }
        }
        return out;
    }

    private List<Node> nodesUp() {
        List<Node> out = new ArrayList<>(2);
        if (node4 != null) {
            out.add(node4);
        }
        if (node6 != null) {
            out.add(node6);
        }
        return out;
    }

    /** The node of {@code address}'s family, or null when we have none. */
    private Node nodeFor(InetSocketAddress address) {
        return address.getAddress() instanceof Inet6Address ? node6 : node4;
    }

    private static List<InetSocketAddress> family(List<InetSocketAddress> all, Node n) {
        return all.stream().filter(a -> (a.getAddress() instanceof Inet6Address) == n.ipv6()).toList();
    }

    /** Looks up our own id from the restored nodes and the bootstrap nodes: fills the tables. */
    private CompletableFuture<?> join() {
        List<InetSocketAddress> seeds = new ArrayList<>(restored);
        seeds.addAll(bootstrap);
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (Node n : nodesUp()) {
            all.add(n.lookup(n.id(), false, family(seeds, n), p -> { }, true));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    }

    private void tick() {
        for (Node n : nodesUp()) {
            try {
                n.maintain();
                if (n.table().size() < RoutingTable.K && n.pendingCount() == 0) {
                    n.lookup(n.id(), false, family(bootstrap, n), p -> { }, true);
                }
            } catch (RuntimeException e) {
                LOG.warn("DHT maintenance failed", e);
            }
        }
    }

    private static void send(Channel channel, InetSocketAddress to, byte[] datagram) {
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(datagram), to), channel.voidPromise());
    }

    /** The IPv4 node's UDP port, or the IPv6 node's when there is no IPv4 node. */
    int port() {
        if (shared != null) {
            return shared.localAddress().getPort();
        }
        return ((InetSocketAddress) (channel4 != null ? channel4 : channel6).localAddress()).getPort();
    }

    /** The IPv4 node's UDP port, or 0 without one. */
    int port4() {
        if (shared != null) {
            return shared.localAddress().getPort();
        }
        return channel4 == null ? 0 : ((InetSocketAddress) channel4.localAddress()).getPort();
    }

    /** The IPv6 node's UDP port, or 0 without one. */
    int port6() {
        return channel6 == null ? 0 : ((InetSocketAddress) channel6.localAddress()).getPort();
    }

    NodeId id() {
        return node().id();
    }

    DhtSettings settings() {
        return settings;
    }

    boolean readOnly() {
        return settings.readOnly();
    }

    ScheduledExecutorService loop() {
        return node().loop();
    }

    /** The IPv4 node, or the IPv6 one when there is no IPv4 node. */
    Node node() {
        return node4 != null ? node4 : node6;
    }

    /** The IPv6 node, or null. */
    Node node6() {
        return node6;
    }

    /** Runs on the loop; completes with its result. */
    <T> CompletableFuture<T> call(java.util.function.Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, loop());
    }

    /**
     * Starts a get_peers lookup in each DHT we are on (BEP 32: a dual-stack node looks up in
     * both); peers of both families go to {@code peers} on the loop as they arrive. Completes
     * with the responders of both lookups.
     */
    CompletableFuture<List<Lookup.Responder>> getPeers(NodeId infoHash, Consumer<List<InetSocketAddress>> peers) {
        return joined.thenComposeAsync(v -> {
            List<CompletableFuture<List<Lookup.Responder>>> each = new ArrayList<>();
            for (Node n : nodesUp()) {
                each.add(n.lookup(infoHash, true, n.table().size() == 0 ? family(bootstrap, n) : List.of(), peers));
            }
            return CompletableFuture.allOf(each.toArray(new CompletableFuture<?>[0])).thenApply(x -> {
                List<Lookup.Responder> out = new ArrayList<>();
                each.forEach(f -> out.addAll(f.join()));
                return out;
            });
        }, loop());
    }

    /** announce_peer to every responder that gave a token, over its own family; completes with how many accepted. */
    CompletableFuture<Integer> announce(NodeId infoHash, int port, List<Lookup.Responder> to) {
        return call(() -> {
            List<CompletableFuture<Boolean>> sent = new ArrayList<>();
            for (Lookup.Responder r : to) {
                Node n = nodeFor(r.node().address());
                if (r.token() != null && n != null) {
                    sent.add(n.send(r.node().address(), r.node().id(), tx -> KrpcCodec.announcePeer(tx, n.id(),
                            infoHash, port, r.token(), false, settings.readOnly())).handle((ok, e) -> e == null));
                }
            }
            return CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0]))
                    .thenApply(v -> (int) sent.stream().filter(CompletableFuture::join).count());
        }).thenCompose(f -> f);
    }

    /** A node learned from a peer's port message (BEP 5, 32): ping it; it joins the table if it answers. */
    void ping(InetSocketAddress address) {
        Node n = nodeFor(address);
        if (n == null) {
            return; // a family we have no DHT for
        }
        try {
            n.loop().execute(() -> {
                if (n.pendingCount() < settings.maxPending() / 2) {
                    n.ping(address);
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** Both tables as they are now, taken on the loop. */
    CompletableFuture<List<NodeInfo>> nodes() {
        return call(() -> {
            List<NodeInfo> out = new ArrayList<>();
            nodesUp().forEach(n -> out.addAll(n.table().all()));
            return out;
        });
    }

    void save() {
        if (settings.stateFile() == null) {
            return;
        }
        try {
            InetAddress external = call(() -> node().externalAddress()).get(5, TimeUnit.SECONDS);
            StateFile.save(settings.stateFile(), id(), nodes().get(5, TimeUnit.SECONDS), external);
        } catch (Exception e) {
            LOG.info("DHT state not saved to {}: {}", settings.stateFile(), e.toString());
        }
    }

    @Override
    public void close() {
        save();
        try {
            loop().submit(() -> nodesUp().forEach(Node::close)).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("closing the DHT node", e);
        }
        if (claim != null) {
            claim.close();
        }
        if (channel4 != null) {
            channel4.close().awaitUninterruptibly();
        }
        if (channel6 != null) {
            channel6.close().awaitUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** Sharable only so a failed bind can be retried on another port: one channel ever uses it. */
    @io.netty.channel.ChannelHandler.Sharable
    private static final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        volatile Node node;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            Node n = node;
            if (n != null) {
                n.receive(packet.sender(), packet.content().nioBuffer());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("DHT socket", cause); // e.g. ICMP port unreachable: the query times out
        }
    }
}
