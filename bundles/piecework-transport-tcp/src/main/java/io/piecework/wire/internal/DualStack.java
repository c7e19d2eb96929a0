package io.piecework.wire.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where the listening socket is bound: the default wildcard takes IPv6 peers too. */
final class DualStack {
    private static final Logger LOG = LoggerFactory.getLogger(DualStack.class);
    /** The default listen address: every address, IPv6 too where the kernel has it. */
    static final String IPV4_WILDCARD = "0.0.0.0";

    private DualStack() {
    }

    /**
     * Binds {@code address}; the IPv4 wildcard (the default) is taken as "every address": the
     * IPv6 wildcard {@code ::} is tried first, which takes IPv4 peers too (Netty's epoll and the
     * JDK's NIO sockets both clear IPV6_V6ONLY, and IPv4 peers still show as IPv4 addresses),
     * and 0.0.0.0 is bound where the kernel has no IPv6. Any other address is bound as named.
     */
    static ChannelFuture bind(ServerBootstrap server, String address, int port) {
        if (IPV4_WILDCARD.equals(address)) {
            ChannelFuture dual = server.bind("::", port).awaitUninterruptibly();
            if (dual.isSuccess()) {
                return dual;
            }
            LOG.info("cannot listen on [::]:{} ({}); IPv4 only", port, dual.cause() == null ? "" : dual.cause().getMessage());
        }
        return server.bind(address, port).awaitUninterruptibly();
    }
}
