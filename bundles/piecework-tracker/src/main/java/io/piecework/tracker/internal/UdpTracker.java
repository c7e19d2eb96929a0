package io.piecework.tracker.internal;

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
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.text.Untrusted;
import io.piecework.tracker.AnnounceRequest;
import io.piecework.tracker.AnnounceResponse;
import io.piecework.tracker.ScrapeStats;
import io.piecework.tracker.TrackerException;
import io.piecework.tracker.UdpPacket;
import io.piecework.tracker.UdpTrackerCodec;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UDP trackers (BEP 15) over one Netty datagram socket for every tracker. Each exchange gets
 * its own random transaction id; a reply counts only if it comes from the address we sent to
 * and carries that id. Lost packets are resent after base·2^n; connection ids are reused for
 * their time to live and fetched again when they expire, even in the middle of retransmissions.
 */
final class UdpTracker implements TrackerClient, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UdpTracker.class);
    private static final int MAX_DATAGRAM = 65_535;

    private final TrackerSettings settings;
    private final ScheduledExecutorService scheduler;
    private final Executor blocking;
    private final EventLoopGroup group;
    private final Channel channel;
    private final Random random = new SecureRandom();
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, Connection> connections = new ConcurrentHashMap<>();
    /** Datagrams dropped: unknown transaction, wrong sender, or malformed. */
    final LongAdder dropped = new LongAdder();

    private record Pending(InetSocketAddress remote, int scraped, CompletableFuture<UdpPacket> reply) {
    }

    private record Connection(long id, long expiresNanos) {
    }

    UdpTracker(TrackerSettings settings, ScheduledExecutorService scheduler, Executor blocking) throws IOException {
        this.settings = settings;
        this.scheduler = scheduler;
        this.blocking = blocking;
        // An engine told to listen on loopback must not open a socket on every interface: bind
        // where configured. Unset, no protocol family: the JDK opens a dual-stack socket on every
        // address, so IPv4 and IPv6 trackers share it.
        InetSocketAddress local = settings.bindAddress().isEmpty() ? new InetSocketAddress(0)
                : new InetSocketAddress(InetAddress.getByName(settings.bindAddress()), 0);
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ChannelFuture f = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM))
                .handler(new Inbound())
                .bind(local).awaitUninterruptibly();
        if (!f.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("cannot open a UDP socket on " + local, f.cause());
        }
        this.channel = f.channel();
    }

    @Override
    public CompletableFuture<AnnounceResponse> announce(URI tracker, AnnounceRequest request) {
        return resolve(tracker)
                .thenCompose(remote -> exchange(remote, 0, (id, tx) -> UdpTrackerCodec.announce(id, tx, request)))
                .thenApply(p -> {
                    if (p instanceof UdpPacket.Announced a) {
                        return a.response();
                    }
                    throw unexpected(p);
                });
    }

    @Override
    public CompletableFuture<Map<InfoHash, ScrapeStats>> scrape(URI tracker, List<InfoHash> hashes) {
        List<InfoHash> asked = List.copyOf(hashes);
        return resolve(tracker)
                .thenCompose(remote -> exchange(remote, asked.size(), (id, tx) -> UdpTrackerCodec.scrape(id, tx, asked)))
                .thenApply(p -> {
                    if (p instanceof UdpPacket.Scraped s) {
                        Map<InfoHash, ScrapeStats> out = new LinkedHashMap<>();
                        for (int i = 0; i < s.stats().size(); i++) {
                            out.put(asked.get(i), s.stats().get(i));
                        }
                        return out;
                    }
                    throw unexpected(p);
                });
    }

    private static RuntimeException unexpected(UdpPacket p) {
        if (p instanceof UdpPacket.Error e) {
            return new java.util.concurrent.CompletionException(new TrackerException(e.message(), true));
        }
        return new java.util.concurrent.CompletionException(
                TrackerException.malformed("unexpected reply " + p.getClass().getSimpleName()));
    }

    /** Name resolution blocks, so it runs off the event loop and the scheduler. */
    private CompletableFuture<InetSocketAddress> resolve(URI tracker) {
        String host = tracker.getHost();
        int port = tracker.getPort();
        if (host == null || port <= 0) {
            return CompletableFuture.failedFuture(new TrackerException("UDP tracker URL needs host and port: " + tracker, false));
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new InetSocketAddress(InetAddress.getByName(host), port);
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, blocking);
    }

    interface Request {
        byte[] packet(long connectionId, int transactionId);
    }

    private CompletableFuture<UdpPacket> exchange(InetSocketAddress remote, int scraped, Request request) {
        CompletableFuture<UdpPacket> result = new CompletableFuture<>();
        attempt(remote, scraped, request, 0, null, result);
        return result;
    }

    /**
     * One try at step n: fetch a connection id if none is valid, then send the request. A
     * connection id just received is used for the next request even if its time to live
     * has already passed, so a short TTL cannot make us loop on connects.
     */
    private void attempt(InetSocketAddress remote, int scraped, Request request, int n, Connection fresh,
                         CompletableFuture<UdpPacket> result) {
        if (result.isDone()) {
            return;
        }
        if (n > settings.udpMaxRetransmits()) {
            result.completeExceptionally(new TrackerException("no answer from " + remote + " after "
                    + n + " tries", false));
            return;
        }
        Connection c = fresh != null ? fresh : connections.get(remote);
        if (c == null || (c != fresh && c.expiresNanos - System.nanoTime() <= 0)) {
            if (c != null) {
                connections.remove(remote, c);
            }
            send(remote, 0, UdpTrackerCodec::connect, n).whenComplete((p, e) -> {
                if (e != null) {
                    attempt(remote, scraped, request, n + 1, null, result);
                } else if (p instanceof UdpPacket.Connected connected) {
                    Connection got = new Connection(connected.connectionId(),
                            System.nanoTime() + settings.udpConnectionTtl().toNanos());
                    connections.put(remote, got);
                    attempt(remote, scraped, request, n, got, result);
                } else {
                    result.completeExceptionally(unexpected(p).getCause());
                }
            });
            return;
        }
        send(remote, scraped, tx -> request.packet(c.id, tx), n).whenComplete((p, e) -> {
            if (e != null) {
                attempt(remote, scraped, request, n + 1, null, result);
            } else {
                result.complete(p);
            }
        });
    }

    /** Sends one packet under a fresh transaction id; completes with the reply or fails on timeout. */
    private CompletableFuture<UdpPacket> send(InetSocketAddress remote, int scraped, IntFunction<byte[]> packet, int n) {
        int tx;
        Pending p;
        do {
            tx = random.nextInt();
            p = new Pending(remote, scraped, new CompletableFuture<>());
        } while (pending.putIfAbsent(tx, p) != null);
        int id = tx;
        Pending mine = p;
        try {
            scheduler.schedule(() -> {
                if (pending.remove(id, mine)) {
                    mine.reply.completeExceptionally(new java.util.concurrent.TimeoutException());
                }
            }, settings.udpTimeout(n).toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            pending.remove(id, mine);
            mine.reply.completeExceptionally(e);
            return mine.reply;
        }
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(packet.apply(id)), remote));
        return mine.reply;
    }

    private final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
            ByteBuffer data = ByteBuffer.allocate(msg.content().readableBytes());
            msg.content().readBytes(data);
            data.flip();
            received(data, msg.sender());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP errors and the like: the exchange times out on its own.
            LOG.debug("UDP tracker socket: {}", cause.toString());
        }
    }

    /** A datagram from the network; anything not matching an exchange is dropped. */
    void received(ByteBuffer data, InetSocketAddress sender) {
        java.util.OptionalInt tx = UdpTrackerCodec.transactionId(data);
        Pending p = tx.isPresent() ? pending.get(tx.getAsInt()) : null;
        if (p == null || !p.remote.equals(sender)) {
            dropped.increment();
            return;
        }
        UdpPacket packet;
        try {
            packet = UdpTrackerCodec.decode(data, sender.getAddress() instanceof Inet6Address, p.scraped, settings.limits());
        } catch (TrackerException e) {
            dropped.increment();
            LOG.debug("malformed reply from {}: {}", sender, Untrusted.text(e.getMessage()));
            return;
        }
        if (pending.remove(tx.getAsInt(), p)) {
            p.reply.complete(packet);
        }
    }

    /** Exchanges still waiting for a reply, for tests and status. */
    int pendingCount() {
        return pending.size();
    }

    int port() {
        return localAddress().getPort();
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        for (Pending p : pending.values()) {
            p.reply.completeExceptionally(new IOException("tracker client closed"));
        }
        pending.clear();
    }
}
