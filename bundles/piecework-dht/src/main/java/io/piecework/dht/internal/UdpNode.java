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
import io.piecework.dht.KrpcCodec;
import io.piecework.dht.NodeId;
import io.piecework.dht.NodeInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Node} on a Netty UDP socket (IPv4). The socket's event loop is the node's only
 * thread: datagrams, timeouts, lookups and maintenance all run there, so the node needs no
 * locks; the methods here hop onto it and may be called from any thread.
 */
final class UdpNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UdpNode.class);

    private final DhtSettings settings;
    private final EventLoopGroup group;
    private final Channel channel;
    private final Node node;
    private final List<InetSocketAddress> restored;
    private volatile List<InetSocketAddress> bootstrap = List.of();
    /** Done once the first join lookup ended: lookups wait for it, or they would start from an empty table. */
    private final CompletableFuture<Void> joined = new CompletableFuture<>();

    UdpNode(DhtSettings settings) throws IOException {
        this.settings = settings;
        SecureRandom random = new SecureRandom();
        StateFile.State state = StateFile.load(settings.stateFile());
        NodeId id = state != null ? state.id() : NodeId.random(random);
        this.restored = state == null ? List.of() : state.nodes().stream().map(NodeInfo::address).toList();
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Inbound inbound = new Inbound();
        InetAddress bind = InetAddress.getByName(settings.bindAddress());
        ChannelFuture f = bind(inbound, new InetSocketAddress(bind, settings.port()));
        if (!f.isSuccess() && settings.port() != 0) {
            // Another client (or another run of ours) holds the port: a DHT node works on any port.
            LOG.warn("DHT port {} is taken ({}); using a free port", settings.port(), f.cause().toString());
            f = bind(inbound, new InetSocketAddress(bind, 0));
        }
        if (!f.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("cannot bind a UDP port for the DHT on " + bind, f.cause());
        }
        this.channel = f.channel();
        ScheduledExecutorService loop = channel.eventLoop();
        this.node = new Node(settings, id, loop, this::send, random, System::nanoTime);
        inbound.node = node;
        long tick = DhtSettings.MAINTENANCE.toNanos();
        loop.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.NANOSECONDS);
        // Resolving bootstrap names blocks: not on the loop.
        CompletableFuture.supplyAsync(this::resolveBootstrap).thenComposeAsync(addresses -> {
            bootstrap = addresses;
            return join();
        }, loop).whenComplete((v, e) -> joined.complete(null));
    }

    private ChannelFuture bind(Inbound inbound, InetSocketAddress at) {
        return new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(KrpcCodec.MAX_PACKET + 1))
                .handler(inbound).bind(at).awaitUninterruptibly();
    }

    private List<InetSocketAddress> resolveBootstrap() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String s : settings.bootstrap()) {
            if (s.isBlank()) {
                continue; // "bootstrap.nodes=" in a .cfg: none
            }
            int colon = s.lastIndexOf(':');
            try {
                out.add(new InetSocketAddress(InetAddress.getByName(s.substring(0, colon).trim()),
                        Integer.parseInt(s.substring(colon + 1).trim())));
            } catch (IOException | RuntimeException e) {
                LOG.info("DHT bootstrap node '{}' skipped: {}", s, e.toString());
            }
        }
        return out;
    }

    /** Looks up our own id from the restored nodes and the bootstrap nodes: fills the table. */
    private CompletableFuture<?> join() {
        List<InetSocketAddress> seeds = new ArrayList<>(restored);
        seeds.addAll(bootstrap);
        return node.lookup(node.id(), false, seeds, p -> { });
    }

    private void tick() {
        try {
            node.maintain();
            if (node.table().size() < RoutingTable.K && node.pendingCount() == 0) {
                join();
            }
        } catch (RuntimeException e) {
            LOG.warn("DHT maintenance failed", e);
        }
    }

    private void send(InetSocketAddress to, byte[] datagram) {
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(datagram), to), channel.voidPromise());
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    NodeId id() {
        return node.id();
    }

    DhtSettings settings() {
        return settings;
    }

    boolean readOnly() {
        return settings.readOnly();
    }

    ScheduledExecutorService loop() {
        return node.loop();
    }

    Node node() {
        return node;
    }

    /** Runs on the loop; completes with its result. */
    <T> CompletableFuture<T> call(java.util.function.Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, node.loop());
    }

    /** Starts a get_peers lookup; peers go to {@code peers} on the loop as they arrive. */
    CompletableFuture<List<Lookup.Responder>> getPeers(NodeId infoHash, Consumer<List<InetSocketAddress>> peers) {
        return joined.thenComposeAsync(v -> node.lookup(infoHash, true, node.table().size() == 0 ? bootstrap : List.of(),
                peers), node.loop());
    }

    /** announce_peer to every responder that gave a token; completes with how many accepted. */
    CompletableFuture<Integer> announce(NodeId infoHash, int port, List<Lookup.Responder> to) {
        return call(() -> {
            List<CompletableFuture<Boolean>> sent = new ArrayList<>();
            for (Lookup.Responder r : to) {
                if (r.token() != null) {
                    sent.add(node.send(r.node().address(), r.node().id(), tx -> KrpcCodec.announcePeer(tx, node.id(),
                            infoHash, port, r.token(), false, settings.readOnly())).handle((ok, e) -> e == null));
                }
            }
            return CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0]))
                    .thenApply(v -> (int) sent.stream().filter(CompletableFuture::join).count());
        }).thenCompose(f -> f);
    }

    /** A node learned from a peer's port message (BEP 5): ping it; it joins the table if it answers. */
    void ping(InetSocketAddress address) {
        try {
            node.loop().execute(() -> {
                if (node.pendingCount() < settings.maxPending() / 2) {
                    node.ping(address);
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** The table as it is now, taken on the loop. */
    CompletableFuture<List<NodeInfo>> nodes() {
        return call(() -> node.table().all());
    }

    void save() {
        if (settings.stateFile() == null) {
            return;
        }
        try {
            StateFile.save(settings.stateFile(), node.id(), nodes().get(5, TimeUnit.SECONDS));
        } catch (Exception e) {
            LOG.info("DHT state not saved to {}: {}", settings.stateFile(), e.toString());
        }
    }

    @Override
    public void close() {
        save();
        try {
            node.loop().submit(node::close).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("closing the DHT node", e);
        }
        channel.close().awaitUninterruptibly();
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
