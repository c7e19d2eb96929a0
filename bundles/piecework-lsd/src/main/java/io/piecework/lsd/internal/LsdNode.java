package io.piecework.lsd.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.piecework.api.discovery.AnnounceTarget;
import io.piecework.api.discovery.PeerSink;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LSD on Netty UDP: per address family, one socket on the group's port, joined to the group
 * (239.192.152.143, or ff15::efc0:988f for IPv6) on each chosen interface, hears the
 * announces; one socket per interface and family sends ours. Both families share one
 * {@link Schedule} (one datagram per gap goes out on every interface) and one inbound limit.
 * The schedule lives on the single event loop, so nothing here needs a lock; other threads
 * hop onto it.
 */
final class LsdNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LsdNode.class);

    private final LsdSettings settings;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Schedule schedule;
    private final InboundLimit inboundLimit;
    private final String cookie;
    private final InetSocketAddress groupAddress;
    private final List<DatagramChannel> listeners = new ArrayList<>();
    private final List<Sender> senders = new ArrayList<>();
    private ScheduledFuture<?> wake;
    private long wakeAt = Long.MAX_VALUE;
    private long refused;

    /** One interface's sending socket, the group it sends to and the Host header it writes. */
    private record Sender(DatagramChannel channel, InetSocketAddress group, String host) {
    }

    LsdNode(LsdSettings settings, LsdInterfaces.Chosen interfaces, String cookie) throws IOException {
        this.settings = settings;
        this.cookie = cookie;
        this.groupAddress = new InetSocketAddress(InetAddress.getByName(settings.group()), settings.port());
        // The IPv6 Host header is the longer: as many hashes as fit under it fit under both.
        String longest = settings.group6().isEmpty() ? settings.hostHeader() : settings.hostHeader6();
        this.schedule = new Schedule(settings.interval().toNanos(), settings.gap().toNanos(),
                LsdCodec.perDatagram(longest, cookie));
        this.inboundLimit = new InboundLimit(settings.inboundPerSecond(), System.nanoTime());
        try {
            join(SocketProtocolFamily.INET, groupAddress, settings.hostHeader(), interfaces.v4());
            if (!settings.group6().isEmpty() && !interfaces.v6().isEmpty()) {
                InetSocketAddress group6 = new InetSocketAddress(InetAddress.getByName(settings.group6()), settings.port());
                join(SocketProtocolFamily.INET6, group6, settings.hostHeader6(), interfaces.v6());
            }
        } catch (IOException | RuntimeException | InterruptedException e) {
            close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("cannot open LSD on " + groupAddress + ": " + e.getMessage(), e);
        }
    }

    /** A listener joined to {@code to} on each interface, and a sender per interface. */
    private void join(SocketProtocolFamily family, InetSocketAddress to, String host, List<NetworkInterface> interfaces)
            throws IOException, InterruptedException {
        if (interfaces.isEmpty()) {
            return;
        }
        boolean six = family == SocketProtocolFamily.INET6;
        InetAddress any = InetAddress.getByName(six ? "::" : "0.0.0.0");
        DatagramChannel listener = (DatagramChannel) open(family, new Inbound(), new InetSocketAddress(any, settings.port()));
        listeners.add(listener);
        for (NetworkInterface nif : interfaces) {
            listener.joinGroup(to, nif).sync();
            InetAddress local = six ? LsdInterfaces.ipv6(nif) : LsdInterfaces.ipv4(nif);
            DatagramChannel sender = (DatagramChannel) open(family, new SimpleChannelInboundHandler<DatagramPacket>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                    // Unicast replies to the sending port: LSD has none, ignored.
                }
            }, new InetSocketAddress(local, 0));
            sender.config().setNetworkInterface(nif);
            sender.config().setTimeToLive(settings.ttl()); // the hop limit on IPv6
            // Other clients on this host hear us. Not setLoopbackModeDisabled(false): Netty's NIO config
            // hands that flag straight to IP_MULTICAST_LOOP, so false turned the loop off (unseen on
            // lo, which loops anyway; on a real interface or a veth nothing came back).
            sender.config().setOption(NioChannelOption.of(StandardSocketOptions.IP_MULTICAST_LOOP), true);
            senders.add(new Sender(sender, to, host));
        }
    }

    private Channel open(SocketProtocolFamily family, ChannelInboundHandler handler, InetSocketAddress at)
            throws IOException {
        ChannelFuture f = new Bootstrap().group(group)
                .channelFactory(() -> new NioDatagramChannel(family))
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(LsdCodec.MAX_PACKET + 1))
                .handler(handler).bind(at).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IOException("cannot bind " + at, f.cause());
        }
        return f.channel();
    }

    /** Starts announcing a torrent; the entry is handed back on the loop. */
    CompletableFuture<Schedule.Entry> add(AnnounceTarget target, PeerSink sink) {
        return call(() -> {
            Schedule.Entry e = schedule.add(target, sink, System.nanoTime());
            reschedule();
            return e;
        });
    }

    void remove(Schedule.Entry e) {
        run(() -> schedule.remove(e));
    }

    void announceNow(Schedule.Entry e) {
        run(() -> {
            schedule.dueNow(e, System.nanoTime());
            reschedule();
        });
    }

    /** Datagrams refused as malformed or over the inbound rate, since start. */
    CompletableFuture<Long> refused() {
        return call(() -> refused);
    }

    int interfaces() {
        return senders.size();
    }

    private void tick() {
        wake = null;
        wakeAt = Long.MAX_VALUE;
        Schedule.Batch batch = schedule.take(System.nanoTime());
        if (batch != null) {
            for (Sender sender : senders) {
                for (byte[] datagram : LsdCodec.encode(sender.host(), batch.port(), batch.hashes(), cookie)) {
                    sender.channel().writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(datagram), sender.group()))
                            .addListener(f -> {
                                if (!f.isSuccess()) {
                                    LOG.debug("LSD announce not sent on {}: {}", sender.channel().localAddress(),
                                            f.cause().toString());
                                }
                            });
                }
            }
        }
        reschedule();
    }

    /** Wakes at the next due announce; with torrents whose port is not known yet, again after a gap. */
    private void reschedule() {
        long now = System.nanoTime();
        long at = schedule.nextWake();
        if (at == Long.MAX_VALUE && schedule.size() > 0) {
            at = now + settings.gap().toNanos();
        }
        if (at == Long.MAX_VALUE || at >= wakeAt) {
            return;
        }
        if (wake != null) {
            wake.cancel(false);
        }
        wakeAt = at;
        wake = group.next().schedule(this::tick, Math.max(0, at - now), TimeUnit.NANOSECONDS);
    }

    private void heard(DatagramPacket packet) {
        if (!inboundLimit.allow(System.nanoTime())) {
            refused++;
            return;
        }
        ByteBuf content = packet.content();
        int length = content.readableBytes();
        if (length > LsdCodec.MAX_PACKET) {
            refused++;
            return;
        }
        byte[] data = new byte[length];
        content.getBytes(content.readerIndex(), data);
        try {
            LsdCodec.Announce announce = LsdCodec.parse(data, length);
            if (!announce.cookie().equals(cookie)) {
                schedule.heard(packet.sender().getAddress(), announce);
            }
        } catch (LsdCodec.FormatException e) {
            refused++;
            if (LOG.isDebugEnabled()) {
                LOG.debug("LSD datagram from {} refused: {}", packet.sender(), e.getMessage());
            }
        }
    }

    private <T> CompletableFuture<T> call(Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, group.next());
    }

    private void run(Runnable task) {
        if (!group.isShuttingDown()) {
            group.next().execute(task);
        }
    }

    @Override
    public void close() {
        for (DatagramChannel listener : listeners) {
            listener.close().awaitUninterruptibly();
        }
        for (Sender sender : senders) {
            sender.channel().close().awaitUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            heard(packet);
        }
    }
}
