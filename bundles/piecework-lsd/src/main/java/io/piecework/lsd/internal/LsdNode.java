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
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.piecework.api.discovery.AnnounceTarget;
import io.piecework.api.discovery.PeerSink;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LSD on Netty UDP (IPv4): one socket on the group's port, joined to the group on each chosen
 * interface, hears the announces; one socket per interface sends ours. The {@link Schedule}
 * lives on the single event loop, so nothing here needs a lock; other threads hop onto it.
 */
final class LsdNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LsdNode.class);

    private final LsdSettings settings;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Schedule schedule;
    private final InboundLimit inboundLimit;
    private final String cookie;
    private final InetSocketAddress groupAddress;
    private final DatagramChannel listener;
    private final List<DatagramChannel> senders = new ArrayList<>();
    private ScheduledFuture<?> wake;
    private long wakeAt = Long.MAX_VALUE;
    private long refused;

    LsdNode(LsdSettings settings, List<NetworkInterface> interfaces, String cookie) throws IOException {
        this.settings = settings;
        this.cookie = cookie;
        this.groupAddress = new InetSocketAddress(InetAddress.getByName(settings.group()), settings.port());
        this.schedule = new Schedule(settings.interval().toNanos(), settings.gap().toNanos(),
                LsdCodec.perDatagram(settings.hostHeader(), cookie));
        this.inboundLimit = new InboundLimit(settings.inboundPerSecond(), System.nanoTime());
        try {
            listener = (DatagramChannel) open(new Inbound(), new InetSocketAddress(settings.port()));
            for (NetworkInterface nif : interfaces) {
                listener.joinGroup(groupAddress, nif).sync();
                InetAddress local = LsdInterfaces.ipv4(nif);
                DatagramChannel sender = (DatagramChannel) open(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                        // Unicast replies to the sending port: LSD has none, ignored.
                    }
                }, new InetSocketAddress(local, 0));
                sender.config().setNetworkInterface(nif);
                sender.config().setTimeToLive(settings.ttl());
                sender.config().setLoopbackModeDisabled(false); // other clients on this host hear us
                senders.add(sender);
            }
        } catch (IOException | RuntimeException | InterruptedException e) {
            close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("cannot open LSD on " + groupAddress + ": " + e.getMessage(), e);
        }
    }

    private Channel open(ChannelInboundHandler handler, InetSocketAddress at) throws IOException {
        ChannelFuture f = new Bootstrap().group(group)
                .channelFactory(() -> new NioDatagramChannel(SocketProtocolFamily.INET))
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
            for (byte[] datagram : LsdCodec.encode(settings.hostHeader(), batch.port(), batch.hashes(), cookie)) {
                for (DatagramChannel sender : senders) {
                    sender.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(datagram), groupAddress))
                            .addListener(f -> {
                                if (!f.isSuccess()) {
                                    LOG.debug("LSD announce not sent on {}: {}", sender.localAddress(), f.cause().toString());
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
        if (listener != null) {
            listener.close().awaitUninterruptibly();
        }
        for (DatagramChannel sender : senders) {
            sender.close().awaitUninterruptibly();
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
