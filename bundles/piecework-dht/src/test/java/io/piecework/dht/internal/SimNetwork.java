package io.piecework.dht.internal;

import io.piecework.dht.NodeId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Many {@link Node}s on one thread, wired by an in-memory datagram network on 127.0.x.y: the
 * node logic end to end without sockets. Datagrams to an unknown address are lost.
 */
final class SimNetwork implements AutoCloseable {
    final ScheduledThreadPoolExecutor loop = new ScheduledThreadPoolExecutor(1);
    final Map<InetSocketAddress, Node> nodes = new ConcurrentHashMap<>();
    final List<byte[]> sent = new ArrayList<>();
    private final Random random = new Random(5);

    Node add(int port, DhtSettings settings) {
        return add(port, settings, System::nanoTime);
    }

    Node add(int port, DhtSettings settings, LongSupplier clock) {
        InetSocketAddress self = address(port);
        Node n = new Node(settings, NodeId.random(random), loop, (to, data) -> deliver(self, to, data), random, clock);
        nodes.put(self, n);
        return n;
    }

    /** Node {@code n}'s address: each its own IP, as rate limits are per IP. */
    static InetSocketAddress address(int n) {
        return new InetSocketAddress("127.0." + (n / 250) + "." + (n % 250 + 1), 6881);
    }

    private void deliver(InetSocketAddress from, InetSocketAddress to, byte[] data) {
        sent.add(data);
        loop.execute(() -> {
            Node dst = nodes.get(to);
            if (dst != null) {
                dst.receive(from, ByteBuffer.wrap(data));
            }
        });
    }

    /** Runs {@code task} on the network's thread and returns its result. */
    <T> T on(Callable<T> task) throws Exception {
        return loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
