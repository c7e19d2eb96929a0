package io.piecework.transport.utp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Small messages written together leave in shared packets: the engine answers each batch of
 * blocks with a request (17 bytes) per block, and a packet each cost both ends a datagram
 * (libtorrent got 8500 of them per 128 MiB downloaded, and dropped some).
 */
class UtpCoalescingTest {
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    private static final int MESSAGES = 16;
    private static final int MESSAGE = 17;
    private final EventLoopGroup group = UdpIo.newGroup(2);

    @AfterEach
    void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Counts the DATA packets arriving at an endpoint and their payload bytes. */
    private static final class DataPackets extends ChannelInboundHandlerAdapter {
        final AtomicInteger packets = new AtomicInteger();
        final AtomicInteger bytes = new AtomicInteger();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                Packet p = UtpCodec.decode(((DatagramPacket) msg).content().nioBuffer());
                if (p.type() == PacketType.DATA) {
                    packets.incrementAndGet();
                    bytes.addAndGet(p.payload().remaining());
                }
            } catch (UtpCodec.FormatException e) {
                throw new AssertionError(e);
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Hears bytes, and the stream's end. */
    private static class Counting implements UtpStream.Handler {
        private int received;

        @Override
        public synchronized void onData(UtpStream stream, ByteBuffer data) {
            received += data.remaining();
            notifyAll();
        }

        /** Waits, at most 10 s, until {@code bytes} arrived; returns how many did. */
        synchronized int await(int bytes) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (received < bytes && System.nanoTime() < end) {
                TimeUnit.NANOSECONDS.timedWait(this, Math.max(1, end - System.nanoTime()));
            }
            return received;
        }

        @Override
        public void onClosed(UtpStream stream, String reason) {
        }
    }

    @Test
    void messagesAnsweringABatchOfDatagramsLeaveInOnePacket() throws Exception {
        // The server answers every chunk it receives with 16 small messages, written one by one
        // from within the read, as the engine requests more blocks when some arrive.
        Counting atServer = new Counting() {
            @Override
            public void onData(UtpStream stream, ByteBuffer data) {
                super.onData(stream, data);
                for (int i = 0; i < MESSAGES; i++) {
                    assertTrue(stream.write(ByteBuffer.allocate(MESSAGE)));
                }
            }
        };
        DataPackets toClient = new DataPackets();
        try (UtpEndpoint server = UtpEndpoint.bind(group, ANY_LOOPBACK, s -> atServer, 4);
             UtpEndpoint client = UtpEndpoint.bind(group, ANY_LOOPBACK, s -> null, 4, toClient)) {
            Counting atClient = new Counting();
            UtpStream out = client.connect(server.localAddress(), atClient).get(10, TimeUnit.SECONDS);
            assertTrue(out.write(ByteBuffer.allocate(100)));
            assertEquals(MESSAGES * MESSAGE, atClient.await(MESSAGES * MESSAGE));
            assertEquals(MESSAGES * MESSAGE, toClient.bytes.get());
            assertEquals(1, toClient.packets.get(), "16 messages of 17 bytes in " + toClient.packets + " packets");
        }
    }

    @Test
    void messagesWrittenFromAnotherThreadWhileTheLoopIsBusyLeaveInOnePacket() throws Exception {
        CompletableFuture<UtpStream> accepted = new CompletableFuture<>();
        DataPackets toClient = new DataPackets();
        try (UtpEndpoint server = UtpEndpoint.bind(group, ANY_LOOPBACK, s -> {
                    accepted.complete(s);
                    return new Counting();
                }, 4);
             UtpEndpoint client = UtpEndpoint.bind(group, ANY_LOOPBACK, s -> null, 4, toClient)) {
            Counting atClient = new Counting();
            UtpStream out = client.connect(server.localAddress(), atClient).get(10, TimeUnit.SECONDS);
            assertTrue(out.write(ByteBuffer.allocate(1))); // the server hears of the stream
            UtpStream in = accepted.get(10, TimeUnit.SECONDS);
            // The server's loop is held while a disk thread (this one) writes, as it writes blocks.
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            server.eventLoop().execute(() -> {
                held.countDown();
                awaitQuietly(release);
            });
            assertTrue(held.await(10, TimeUnit.SECONDS));
            for (int i = 0; i < MESSAGES; i++) {
                assertTrue(in.write(ByteBuffer.allocate(MESSAGE)));
            }
            release.countDown();
            assertEquals(MESSAGES * MESSAGE, atClient.await(MESSAGES * MESSAGE));
            assertEquals(1, toClient.packets.get(), "16 messages of 17 bytes in " + toClient.packets + " packets");
        }
    }

    @Test
    void fortyDatagramsWaitingTogetherGetOneAck() throws Exception {
        // A peer speaking through a plain socket: its SYN, then 40 DATA packets that all wait in
        // the endpoint's socket while its loop is held, as a window's worth does while it is busy.
        try (UtpEndpoint server = UtpEndpoint.bind(group, ANY_LOOPBACK, s -> new Counting(), 4);
             java.net.DatagramSocket peer = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            peer.setSoTimeout(10_000);
            int id = 100;
            send(peer, server, Packet.control(PacketType.SYN, id, 1, 0, 1 << 20, 1, 0));
            Packet accept = receive(peer);
            assertEquals(PacketType.STATE, accept.type());
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            server.eventLoop().execute(() -> {
                held.countDown();
                awaitQuietly(release);
            });
            assertTrue(held.await(10, TimeUnit.SECONDS));
            int last = 41;
            for (int seq = 2; seq <= last; seq++) {
                send(peer, server, new Packet(PacketType.DATA, id + 1, seq, 0, 1 << 20, seq,
                        (accept.seqNr() - 1) & 0xFFFF, null, ByteBuffer.allocate(1000)));
            }
            release.countDown();
            Packet ack = receive(peer);
            assertEquals(PacketType.STATE, ack.type());
            assertEquals(last, ack.ackNr(), "the first ACK after the batch acknowledges all of it");
        }
    }

    private static void send(java.net.DatagramSocket from, UtpEndpoint to, Packet packet) throws Exception {
        ByteBuffer bytes = UtpCodec.encode(packet);
        from.send(new java.net.DatagramPacket(bytes.array(), bytes.remaining(), to.localAddress()));
    }

    private static Packet receive(java.net.DatagramSocket socket) throws Exception {
        java.net.DatagramPacket d = new java.net.DatagramPacket(new byte[2048], 2048);
        socket.receive(d); // bounded by the socket's timeout
        return UtpCodec.decode(ByteBuffer.wrap(d.getData(), 0, d.getLength()));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
