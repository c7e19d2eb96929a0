package io.piecework.transport.utp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UdpIoTest {
    private final EventLoopGroup group = UdpIo.newGroup(1);

    @AfterEach
    void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * Keeps every datagram (retained, so no read can reuse its memory) and its address in memory:
     * datagrams of one recvmmsg lie in one buffer, one slot of {@link UdpIo#MAX_DATAGRAM} each.
     */
    private static final class Buffers extends ChannelInboundHandlerAdapter {
        final List<DatagramPacket> kept = new ArrayList<>();
        final CountDownLatch all;

        Buffers(int datagrams) {
            all = new CountDownLatch(datagrams);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            kept.add(((DatagramPacket) msg).retain());
            ctx.fireChannelRead(msg);
            all.countDown(); // after the endpoint counted it
        }

        /** The distance in memory between the first and the last datagram's bytes. */
        long span() {
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (DatagramPacket p : kept) {
                min = Math.min(min, p.content().memoryAddress());
                max = Math.max(max, p.content().memoryAddress());
            }
            return max - min;
        }
    }

    @Test
    void onEpollDatagramsWaitingTogetherAreReadTogetherIntoOneBuffer() throws Exception {
        assumeTrue(UdpIo.epoll(), "epoll does not load here (or -Dpiecework.transport.native=false)");
        assertTrue(UdpIo.isEpoll(group));
        int datagrams = UdpIo.DATAGRAMS_PER_READ;
        Buffers buffers = new Buffers(datagrams);
        try (UtpEndpoint endpoint = UtpEndpoint.bind(group, new InetSocketAddress("127.0.0.1", 0), s -> null, 4,
                buffers)) {
            // The loop is held while the datagrams arrive, so they all wait in the socket at once
            // (a loopback send is in the receiver's queue when it returns).
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            endpoint.eventLoop().execute(() -> {
                held.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(held.await(10, TimeUnit.SECONDS));
            try (DatagramSocket raw = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                for (int i = 0; i < datagrams; i++) {
                    byte[] junk = new byte[1400]; // not uTP: counted as malformed, which is all this needs
                    raw.send(new java.net.DatagramPacket(junk, junk.length, endpoint.localAddress()));
                }
            }
            release.countDown();
            assertTrue(buffers.all.await(10, TimeUnit.SECONDS));
            // One recvmmsg: the datagrams side by side in one buffer, a slot each (read one by one,
            // each has a buffer, and a system call, of its own).
            assertEquals((datagrams - 1) * (long) UdpIo.MAX_DATAGRAM, buffers.span());
            buffers.kept.forEach(DatagramPacket::release);
            assertEquals(datagrams, endpoint.malformed());
        }
    }

    @Test
    void theGroupAndItsChannelsFollowTheNativeSwitch() {
        assertEquals(UdpIo.epoll(), UdpIo.isEpoll(group));
        if ("false".equals(System.getProperty(UdpIo.NATIVE_PROPERTY))) {
            assertTrue(!UdpIo.isEpoll(group), "-Dpiecework.transport.native=false must give NIO");
        }
    }
}
