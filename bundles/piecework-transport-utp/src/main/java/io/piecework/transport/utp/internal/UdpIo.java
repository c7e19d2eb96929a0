package io.piecework.transport.utp.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;

/**
 * The I/O the uTP socket runs on: Netty's native epoll where it loads, the JDK's NIO otherwise.
 * Over NIO every datagram costs one {@code recvfrom} system call (a download from libtorrent is
 * about 750 datagrams per MiB); over epoll the socket reads up to {@link #DATAGRAMS_PER_READ} of
 * them in one {@code recvmmsg} into one buffer. The TCP transport makes the same choice, and
 * {@code -Dpiecework.transport.native=false} turns both to NIO.
 */
final class UdpIo {
    static final String NATIVE_PROPERTY = "piecework.transport.native";
    /**
     * The largest datagram one {@code recvmmsg} slot takes, as NIO's default buffer (2 KiB) took
     * before: libtorrent's uTP packets fit a 1500-byte MTU (1450-byte payloads on loopback), and
     * the DHT's KRPC messages stay under it too.
     */
    static final int MAX_DATAGRAM = 2048;
    /** Datagrams one {@code recvmmsg} reads at most. */
    static final int DATAGRAMS_PER_READ = 16;
    /**
     * Datagrams read in one batch before the loop turns to its other work; the endpoint ACKs once
     * per batch. Netty's default, 16, cut a download from libtorrent into batches of about 13
     * datagrams (7000 ACKs per 128 MiB), each a wake-up, a STATE packet for libtorrent to read and
     * a flush; the window (1 MiB, about 720 packets) leaves room for ACKs four times rarer.
     */
    static final int DATAGRAMS_PER_BATCH = 64;

    private UdpIo() {
    }

    /** Whether the native transport is wanted and loads here. */
    static boolean epoll() {
        if ("false".equals(System.getProperty(NATIVE_PROPERTY))) {
            return false;
        }
        try {
            return Epoll.isAvailable();
        } catch (LinkageError e) {
            return false; // the epoll classes or library cannot load: NIO still works
        }
    }

    /** An event loop group for uTP sockets: epoll where {@link #epoll()}, NIO otherwise. */
    static EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, epoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /** Whether {@code group} runs epoll (else its datagram channels are NIO). */
    static boolean isEpoll(EventLoopGroup group) {
        try {
            return group instanceof IoEventLoopGroup io && io.isIoType(EpollIoHandler.class);
        } catch (LinkageError e) {
            return false;
        }
    }

    /** A bootstrap for a datagram channel on {@code group}, reading in batches where the kind allows. */
    static Bootstrap bootstrap(EventLoopGroup group) {
        Bootstrap b = new Bootstrap().group(group);
        if (!isEpoll(group)) {
            return b.channel(NioDatagramChannel.class).option(ChannelOption.RCVBUF_ALLOCATOR,
                    new FixedRecvByteBufAllocator(MAX_DATAGRAM).maxMessagesPerRead(DATAGRAMS_PER_BATCH));
        }
        // One buffer for DATAGRAMS_PER_READ slots: Netty then reads with recvmmsg, each datagram
        // a slice of it.
        return b.channel(EpollDatagramChannel.class)
                .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * DATAGRAMS_PER_READ)
                        .maxMessagesPerRead(DATAGRAMS_PER_BATCH));
    }
}
