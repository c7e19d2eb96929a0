package io.piecework.loadtest.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.PeerId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The fake seeders: one listening socket per (torrent, peer), each on its own loopback
 * address (127.x.y.z; Linux routes all of 127.0.0.0/8 to loopback), so to the engine every
 * fake peer is a distinct IP and a per-IP connection limit does not bunch them up. They run
 * on the load test's own event-loop threads, named {@value #THREADS}-*, so their CPU is
 * counted apart from the engine's. Never any address outside 127.0.0.0/8.
 *
 * <p>Either the engine dials them ({@link #seed}: a listening socket per peer, three file
 * descriptors per connection in this process) or they dial the engine from their own
 * address ({@link #dial}: two per connection, which is what lets 1000 torrents run under a
 * 20,000 descriptor limit).
 */
final class FakeSwarm implements FakePeers {
    static final String THREADS = "loadtest-peer";
    private final Payload payload;
    private final EventLoopGroup group;
    private final List<Channel> servers = new ArrayList<>();
    private final Set<Channel> live = ConcurrentHashMap.newKeySet();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder churned = new LongAdder();
    /** Connects that failed, or connections closed unanswered, and were tried again. */
    private final LongAdder redials = new LongAdder();
    /** Connections the engine closed before answering the handshake. */
    private final LongAdder unanswered = new LongAdder();
    static final int DIAL_ATTEMPTS = 5;
    private final LongAdder servedBytes = new LongAdder();
    private final AtomicReference<String> firstViolation = new AtomicReference<>();
    private final Random ids = new Random(7);
    private final Map<Channel, Dial> dials = new ConcurrentHashMap<>();
    private ScheduledFuture<?> churn;
    private int next;

    FakeSwarm(Payload payload, int threads) {
        this.payload = payload;
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(THREADS, true),
                NioIoHandler.newFactory());
    }

    /** The loopback address of fake peer number {@code k}: 127.1.0.1, 127.1.0.2, ... never 127.0.0.x. */
    static InetAddress address(int k) {
        int perThird = 254;
        int third = k / perThird;
        byte[] ip = {127, (byte) (1 + third / 256), (byte) (third % 256), (byte) (1 + k % perThird)};
        if ((ip[1] & 0xff) > 254) {
            throw new IllegalArgumentException("too many fake peers for 127.0.0.0/8: " + k);
        }
        try {
            return InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts {@code count} seeders of one torrent and returns their addresses. */
    List<InetSocketAddress> seed(InfoHash infoHash, int count) throws InterruptedException {
        List<InetSocketAddress> addresses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            // Peer i lacks piece i (mod the piece count), so the swarm as a whole has them all.
            int missing = count > 1 && payload.pieceCount() > 1 ? i % payload.pieceCount() : -1;
            PeerId id = PeerId.generate("-LT0001-", ids);
            ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 64)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            accepted.increment();
                            ch.pipeline().addLast(new FakePeer(infoHash, payload, missing, id, FakeSwarm.this, false));
                        }
                    });
            Channel server = b.bind(new InetSocketAddress(address(next++), 0)).sync().channel();
            servers.add(server);
            addresses.add(((ServerSocketChannel) server).localAddress());
        }
        return addresses;
    }

    /** One fake peer that dials the engine: what it needs to dial again after churn. */
    private record Dial(InfoHash infoHash, InetAddress local, int missing, PeerId id, InetSocketAddress engine) {
    }

    /** Starts {@code count} seeders of one torrent that dial the engine at {@code engine}. */
    @Override
    public void dial(InfoHash infoHash, int count, InetSocketAddress engine) {
        for (int i = 0; i < count; i++) {
            int missing = count > 1 && payload.pieceCount() > 1 ? i % payload.pieceCount() : -1;
            connect(new Dial(infoHash, address(next++), missing, PeerId.generate("-LT0001-", ids), engine), 0);
        }
    }

    /**
     * Dials once. A connect that fails, or a connection the engine closes without answering the
     * handshake, is tried again a second later, up to {@link #DIAL_ATTEMPTS} times, as a real
     * peer would: thousands of peers dialling one listening socket at once overflow its backlog
     * on a loaded machine, and an engine that could not answer within its handshake timeout
     * drops the connection. Neither breaks the protocol; both are counted ({@link #redials}).
     */
    private void connect(Dial d, int failures) {
        FakePeer peer = new FakePeer(d.infoHash(), payload, d.missing(), d.id(), FakeSwarm.this, true);
        new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(peer);
                    }
                })
                .connect(d.engine(), new InetSocketAddress(d.local(), 0)).addListener((ChannelFuture f) -> {
                    if (f.isSuccess()) {
                        dials.put(f.channel(), d);
                        f.channel().closeFuture().addListener(c -> {
                            // Not churned (churn takes it out of dials first) and never answered.
                            if (dials.remove(f.channel()) != null && !peer.answered()) {
                                unanswered.increment();
                                retry(d, failures, "the engine closed the connection from " + d.local()
                                        + " without answering the handshake");
                            }
                        });
                    } else {
                        retry(d, failures, "cannot dial the engine from " + d.local() + ": " + f.cause());
                    }
                });
    }

    private void retry(Dial d, int failures, String why) {
        if (failures + 1 < DIAL_ATTEMPTS) {
            redials.increment();
            group.schedule(() -> connect(d, failures + 1), 1, TimeUnit.SECONDS);
        } else {
            violation(why + " (" + DIAL_ATTEMPTS + " attempts)");
        }
    }

    /**
     * Heap of one fake peer's connection end (channel, pipeline, handler, decoder), measured
     * by opening {@code n} connections between fake peers, fake ends on both sides: the
     * load test subtracts it to report the engine's heap alone.
     */
    long calibrate(int n) throws InterruptedException {
        InfoHash nobody = InfoHash.of(new byte[InfoHash.LENGTH]);
        PeerId id = PeerId.generate("-LT0001-", ids);
        ChannelInitializer<SocketChannel> fake = new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new FakePeer(nobody, payload, -1, id, FakeSwarm.this, false));
            }
        };
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024).childHandler(fake)
                .bind(new InetSocketAddress(address(next++), 0)).sync().channel();
        Bootstrap client = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(fake);
        List<Channel> clients = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                clients.add(client.connect(server.localAddress()).sync().channel());
            }
            awaitConnections(2 * n);
            long with = Heap.usedAfterGc();
            for (Channel c : clients) {
                c.close().sync();
            }
            awaitConnections(0);
            long without = Heap.usedAfterGc();
            return Math.max(0, (with - without) / (2L * n));
        } finally {
            clients.forEach(Channel::close);
            server.close().sync();
        }
    }

    private void awaitConnections(int count) throws InterruptedException {
        if (!awaitLive(count, TimeUnit.SECONDS.toMillis(30))) {
            throw new IllegalStateException("calibration: " + live.size() + " fake connections, expected " + count);
        }
    }


    /** Every second, closes each connection with probability {@code fraction}; the engine dials again. */
    @Override
    public void churn(double fraction, long seed) {
        if (fraction <= 0) {
            return;
        }
        SplittableRandom random = new SplittableRandom(seed);
        churn = group.next().scheduleAtFixedRate(() -> {
            for (Channel c : live) {
                if (random.nextDouble() < fraction) {
                    churned.increment();
                    Dial d = dials.remove(c);
                    c.close();
                    if (d != null) {
                        // A peer that dialled comes back a second later; the engine dials the others again itself.
                        group.schedule(() -> connect(d, 0), 1, TimeUnit.SECONDS);
                    }
                }
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void stopChurn() {
        if (churn != null) {
            churn.cancel(false);
        }
    }

    @Override
    public int connections() {
        return live.size();
    }

    @Override
    public long processCpuNanos() {
        return -1; // in this JVM: its threads are counted by name
    }

    @Override
    public long redials() {
        return redials.sum();
    }

    long unanswered() {
        return unanswered.sum();
    }

    long accepted() {
        return accepted.sum();
    }

    @Override
    public long churned() {
        return churned.sum();
    }

    long servedBytes() {
        return servedBytes.sum();
    }

    /** The first protocol violation a fake peer saw from the engine, if any. */
    @Override
    public String violation() {
        return firstViolation.get();
    }

    void opened(Channel c) {
        live.add(c);
        changed();
    }

    void closed(Channel c) {
        live.remove(c);
        changed();
    }

    private void changed() {
        synchronized (live) {
            live.notifyAll();
        }
    }

    /** Waits until {@code count} fake connections are open; false if not within {@code millis}. */
    @Override
    public boolean awaitLive(int count, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (live) {
            for (long left = millis; live.size() != count; left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) {
                if (left <= 0) {
                    return false;
                }
                live.wait(left);
            }
        }
        return true;
    }

    void served(int bytes) {
        servedBytes.add(bytes);
    }

    void violation(String what) {
        firstViolation.compareAndSet(null, what);
    }

    @Override
    public void close() throws InterruptedException {
        stopChurn();
        for (Channel s : servers) {
            s.close();
        }
        for (Channel c : live) {
            c.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
}
