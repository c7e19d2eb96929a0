package io.piecework.itests.support;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.piecework.transport.utp.internal.UtpEndpoint;
import io.piecework.transport.utp.internal.UtpStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/** A bare uTP connection from a loopback endpoint of its own: is a uTP listener there? */
public final class UtpDial {
    private UtpDial() {
    }

    /** Connects to {@code at} (a SYN answered by a STATE), closes again; the address the stream reached. */
    public static InetSocketAddress accepted(InetSocketAddress at, long timeoutSeconds) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (UtpEndpoint dialler = UtpEndpoint.bind(group,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), s -> null, 4)) {
            UtpStream stream = dialler.connect(at, new UtpStream.Handler() {
                @Override
                public void onData(UtpStream s, ByteBuffer data) {
                }

                @Override
                public void onClosed(UtpStream s, String reason) {
                }
            }).get(timeoutSeconds, TimeUnit.SECONDS);
            InetSocketAddress reached = stream.remoteAddress();
            stream.close();
            return reached;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }
}
