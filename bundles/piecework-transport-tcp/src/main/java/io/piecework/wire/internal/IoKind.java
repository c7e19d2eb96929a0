package io.piecework.wire.internal;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The I/O the transport's sockets run on: Netty's native epoll where it loads (Linux with the
 * native fragment) and is wanted, the JDK's NIO otherwise. Epoll needs no JDK SocketChannelImpl,
 * SelectionKey or selector per connection, and writes and reads straight from the file descriptor.
 *
 * @param name   "epoll" or "nio", as logs and tests see it
 * @param reason why this one runs, for the start-up log line
 */
record IoKind(String name, IoHandlerFactory handlers, Class<? extends ServerChannel> serverChannel,
              Class<? extends SocketChannel> socketChannel, String reason) {
    static final String EPOLL = "epoll";
    static final String NIO = "nio";
    /**
     * System property that, set to false, turns the native transport off whatever the
     * configuration says: the wire tests run once on each kind, and a load test or benchmark
     * compares them on one build (-Dpiecework.transport.native=false in PIECEWORK_JAVA_OPTS).
     */
    static final String NATIVE_PROPERTY = "piecework.transport.native";

    /** Epoll if {@code nativeWanted} and it is available, else NIO with the reason. */
    static IoKind choose(boolean nativeWanted) {
        if (!nativeWanted) {
            return nio("native.transport=false");
        }
        if ("false".equals(System.getProperty(NATIVE_PROPERTY))) {
            return nio("-D" + NATIVE_PROPERTY + "=false");
        }
        String unavailable = epollUnavailable();
        if (unavailable != null) {
            return nio("epoll unavailable: " + unavailable);
        }
        return new IoKind(EPOLL, EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
                EpollSocketChannel.class, "native.transport=true and epoll loaded");
    }

    static IoKind nio(String reason) {
        return new IoKind(NIO, NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class, reason);
    }

    /** Null when epoll works here, else why not (not Linux, no native library for this CPU...). */
    static String epollUnavailable() {
        try {
            if (Epoll.isAvailable()) {
                return null;
            }
            Throwable cause = Epoll.unavailabilityCause();
            return cause == null ? "unknown" : cause.toString();
        } catch (LinkageError e) {
            // the epoll classes bundle is missing or cannot load: NIO still works
            return e.toString();
        }
    }
}
