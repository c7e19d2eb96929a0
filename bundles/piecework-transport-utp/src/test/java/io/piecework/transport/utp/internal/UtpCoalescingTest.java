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

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
