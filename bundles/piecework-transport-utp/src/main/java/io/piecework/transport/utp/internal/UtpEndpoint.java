package io.piecework.transport.utp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP socket carrying many uTP connections. Each datagram is decoded ({@link UtpCodec}
 * refuses what is not a packet; those are counted and dropped) and handed to the connection its
 * sender's address and connection id name; a SYN from someone new opens a connection if there
 * is room; anything else unknown gets a RESET, as libtorrent answers. Everything runs on the
 * channel's event loop: the sockets are sans-IO and single-threaded, and one timer on that loop
 * runs their timeouts while any connection exists.
 */
public final class UtpEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UtpEndpoint.class);
    /** How often the connections' timeouts are looked at; BEP 29's shortest timeout is 500 ms. */
    static final long TICK_MILLIS = 10;
    /**
     * The UDP socket's receive buffer (the kernel caps it at net.core.rmem_max). Linux's usual
     * 208 KiB holds about 90 full datagrams, less than one peer's window, so whatever arrived
     * while the loop was busy elsewhere overflowed it: 2-3 % of a download from libtorrent was
     * lost there and resent. The memory is only taken while datagrams wait.
     */
    static final int RECEIVE_BUFFER_BYTES = 2 << 20;

    /** Decides about connections peers open. */
    public interface Acceptor {
        /** A handler for the new stream, or null to refuse it (the peer gets a RESET). */
        UtpStream.Handler accept(UtpStream stream);
    }

    private record Key(InetSocketAddress remote, int receiveId) {
    }

    private final Channel channel;
    private final Acceptor acceptor;
    private final int maxConnections;
    private final Map<Key, UtpStream> streams = new HashMap<>();
    private final Map<UtpStream, CompletableFuture<UtpStream>> dialling = new HashMap<>();
    private final AtomicLong malformed = new AtomicLong();
    /** Those who share the socket (the DHT), or null: their datagrams never reach uTP's parser. */
    private final UdpShare share;
    private ScheduledFuture<?> timer;
    /** Streams that received DATA in the batch of datagrams being read: each owes one ACK at its end. */
    private final List<UtpStream> acking = new ArrayList<>();
    /**
     * Streams written to (or acknowledged, opening their window) in the batch being read: drained
     * once at its end, so what the engine answers to a batch (the requests for the blocks that
     * arrived) leaves in shared packets, carrying the batch's ACK, not in a packet each.
     */
    private final List<UtpStream> draining = new ArrayList<>();
    /** A batch of datagrams is being read (event loop only). */
    private boolean reading;

    private UtpEndpoint(Channel channel, Acceptor acceptor, int maxConnections, UdpShare share) {
        this.channel = channel;
        this.acceptor = acceptor;
        this.maxConnections = maxConnections;
        this.share = share;
    }

    /** Binds {@code local} on {@code group} and serves uTP there until {@link #close}. */
    public static UtpEndpoint bind(EventLoopGroup group, InetSocketAddress local, Acceptor acceptor,
                                   int maxConnections) throws InterruptedException {
        return bind(group, local, acceptor, maxConnections, null);
    }

    /** @param path a handler datagrams pass first, or null (tests put a lossy path there) */
    static UtpEndpoint bind(EventLoopGroup group, InetSocketAddress local, Acceptor acceptor, int maxConnections,
                            ChannelHandler path) throws InterruptedException {
        return bind(group, local, acceptor, maxConnections, path, null);
    }

    /** @param share the socket as others share it (datagrams they claimed go to them), or null */
    static UtpEndpoint bind(EventLoopGroup group, InetSocketAddress local, Acceptor acceptor, int maxConnections,
                            ChannelHandler path, UdpShare share) throws InterruptedException {
        UtpEndpoint[] endpoint = new UtpEndpoint[1];
        SimpleChannelInboundHandler<DatagramPacket> reader = new SimpleChannelInboundHandler<>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket datagram) {
                UtpEndpoint e = endpoint[0];
                if (e != null) { // null only for what arrives while bind() returns
                    e.reading = true;
                    e.datagram(datagram.content().nioBuffer(), datagram.sender());
                }
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                UtpEndpoint e = endpoint[0];
                if (e != null) {
                    e.endOfBatch();
                }
                ctx.flush();
            }
        };
        Channel channel = UdpIo.bootstrap(group)
                .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (path != null) {
                            ch.pipeline().addLast(path);
                        }
                        ch.pipeline().addLast(reader);
                    }
                })
                .bind(local).sync().channel();
        endpoint[0] = new UtpEndpoint(channel, acceptor, maxConnections, share);
        if (share != null) {
            share.attach(endpoint[0]);
        }
        return endpoint[0];
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** The loop every connection of this endpoint runs on. */
    public io.netty.channel.EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /** The socket's receive buffer as the kernel granted it (Linux reports twice what it holds for data). */
    int receiveBufferBytes() {
        return ((io.netty.channel.socket.DatagramChannel) channel).config().getReceiveBufferSize();
    }

    /** Datagrams that were not uTP packets, since the endpoint was bound. */
    public long malformed() {
        return malformed.get();
    }

    /** Opens a connection to {@code remote}; the future completes once the peer accepted it. */
    public CompletableFuture<UtpStream> connect(InetSocketAddress remote, UtpStream.Handler handler) {
        CompletableFuture<UtpStream> result = new CompletableFuture<>();
        run(() -> {
            int id;
            do {
                id = ThreadLocalRandom.current().nextInt(0x10000);
            } while (streams.containsKey(new Key(remote, id)));
            UtpStream stream = new UtpStream(this, remote, handler);
            streams.put(new Key(remote, id), stream);
            dialling.put(stream, result);
            stream.socket = UtpSocket.connect(id, ThreadLocalRandom.current().nextInt(0x10000), nowMicros(), stream);
            startTimer();
            channel.flush();
        });
        return result;
    }

    private void datagram(ByteBuffer bytes, InetSocketAddress sender) {
        if (share != null && share.offer(bytes, sender)) {
            return;
        }
        Packet packet;
        try {
            packet = UtpCodec.decode(bytes);
        } catch (UtpCodec.FormatException e) {
            malformed.incrementAndGet();
            if (LOG.isDebugEnabled()) {
                LOG.debug("dropped a datagram from {}: {}", sender, e.getMessage());
            }
            return;
        }
        long now = nowMicros();
        int receiveId = packet.type() == PacketType.SYN ? (packet.connectionId() + 1) & 0xFFFF : packet.connectionId();
        UtpStream stream = streams.get(new Key(sender, receiveId));
        if (stream == null) {
            if (packet.type() == PacketType.SYN) {
                accept(packet, sender, now);
            } else if (packet.type() != PacketType.RESET) {
                send(Packet.control(PacketType.RESET, packet.connectionId(), (int) now, 0, 0, 0, packet.seqNr()), sender);
            }
            return;
        }
        boolean owedAck = stream.socket.ackPending();
        stream.socket.receive(packet, now);
        if (!owedAck && stream.socket.ackPending()) {
            acking.add(stream);
        }
        if (!stream.connected && stream.socket.state() == UtpSocket.State.CONNECTED) {
            CompletableFuture<UtpStream> dialled = dialling.remove(stream);
            stream.connectedNow();
            if (dialled != null) {
                dialled.complete(stream);
            }
        }
        drainSoon(stream);
    }

    private void accept(Packet syn, InetSocketAddress sender, long now) {
        UtpStream stream = new UtpStream(this, sender, null);
        UtpStream.Handler handler = streams.size() < maxConnections ? acceptor.accept(stream) : null;
        if (handler == null) {
            send(Packet.control(PacketType.RESET, syn.connectionId(), (int) now, 0, 0, 0, syn.seqNr()), sender);
            return;
        }
        stream.handler(handler);
        streams.put(new Key(sender, (syn.connectionId() + 1) & 0xFFFF), stream);
        stream.socket = UtpSocket.accept(syn, ThreadLocalRandom.current().nextInt(0x10000), now, stream);
        startTimer();
    }

    /**
     * Drains {@code stream} soon: at the end of the batch being read when called from within it,
     * else in a task on the loop, one at a time per stream (writes meanwhile join it).
     */
    void drainSoon(UtpStream stream) {
        if (channel.eventLoop().inEventLoop()) {
            if (!reading) {
                stream.drain();
            } else if (stream.drainQueued.compareAndSet(false, true)) {
                draining.add(stream);
            }
        } else if (stream.drainQueued.compareAndSet(false, true)) {
            channel.eventLoop().execute(() -> {
                stream.drainQueued.set(false);
                stream.drain();
                channel.flush();
            });
        }
    }

    private void endOfBatch() {
        for (int i = 0; i < draining.size(); i++) { // a drain may add: the engine writes as it sends
            UtpStream stream = draining.get(i);
            stream.drainQueued.set(false);
            stream.drain();
        }
        draining.clear();
        reading = false;
        sendPendingAcks();
    }

    private void sendPendingAcks() {
        long now = nowMicros();
        for (UtpStream stream : acking) {
            stream.socket.sendPendingAck(now);
        }
        acking.clear();
    }

    void send(Packet packet, InetSocketAddress to) {
        ByteBuf buf = channel.alloc().buffer(packet.size());
        UtpCodec.encode(packet, buf.nioBuffer(0, packet.size()));
        buf.writerIndex(packet.size());
        channel.write(new DatagramPacket(buf, to));
    }

    /** A datagram of someone sharing the socket; from any thread. */
    void sendRaw(ByteBuffer datagram, InetSocketAddress to) {
        channel.writeAndFlush(new DatagramPacket(Unpooled.copiedBuffer(datagram), to), channel.voidPromise());
    }

    void forget(UtpStream stream) {
        streams.values().remove(stream);
        CompletableFuture<UtpStream> dialled = dialling.remove(stream);
        if (dialled != null) {
            dialled.completeExceptionally(new java.io.IOException("uTP connection to " + stream.remoteAddress()
                    + " failed"));
        }
        if (streams.isEmpty() && timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void startTimer() {
        if (timer == null) {
            timer = channel.eventLoop().scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void tick() {
        long now = nowMicros();
        for (UtpStream stream : new ArrayList<>(streams.values())) {
            if (stream.socket.deadline() <= now) {
                stream.socket.tick(now);
            }
            stream.socket.sendPendingAck(now);
            stream.drain();
        }
        channel.flush();
    }

    /** Runs {@code task} on the event loop, flushing what it sent. */
    void run(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            channel.eventLoop().execute(() -> {
                task.run();
                channel.flush();
            });
        }
    }

    long nowMicros() {
        return System.nanoTime() / 1000;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
