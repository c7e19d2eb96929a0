package io.piecework.wire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.annotation.Annotation;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The DS entry point: configuration as Config Admin would give it. */
class NettyPeerTransportTest {
    private static NettyPeerTransport.Config config(int port) {
        return config(port, true);
    }

    private static NettyPeerTransport.Config config(int port, boolean nativeTransport) {
        return new NettyPeerTransport.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return NettyPeerTransport.Config.class;
            }

            @Override
            public String listen_address() {
                return "127.0.0.1";
            }

            @Override
            public int listen_port() {
                return port;
            }

            @Override
            public int event_loop_threads() {
                return 1;
            }

            @Override
            public int connect_timeout_ms() {
                return 1000;
            }

            @Override
            public int handshake_timeout_ms() {
                return 1000;
            }

            @Override
            public int keepalive_interval_ms() {
                return 60_000;
            }

            @Override
            public int idle_timeout_ms() {
                return 180_000;
            }

            @Override
            public int max_message_length() {
                return 4096;
            }

            @Override
            public boolean dht() {
                return true;
            }

            @Override
            public boolean native_transport() {
                return nativeTransport;
            }
        };
    }

    @Test
    void listensWhereConfiguredWithOurPeerIdPrefix() throws Exception {
        NettyPeerTransport t = new NettyPeerTransport(config(0));
        try {
            assertTrue(t.port() > 0);
            assertEquals("-PW0001-", t.localPeerId().clientPrefix());
            assertEquals(4096, t.settings().limits().maxMessageLength());
            assertTrue(t.settings().dht());
        } finally {
            t.close();
        }
    }

    @Test
    void portInUseFailsActivation() throws Exception {
        NettyPeerTransport first = new NettyPeerTransport(config(0));
        try {
            assertThrows(java.io.IOException.class, () -> new NettyPeerTransport(config(first.port())).close());
        } finally {
            first.close();
        }
    }

    @Test
    void connectForAnUnregisteredTorrentFails() throws Exception {
        NettyPeerTransport t = new NettyPeerTransport(config(-1));
        try {
            assertEquals(-1, t.port());
            ExecutionException e = assertThrows(ExecutionException.class, () -> t.connect(PeerChannelTest.HASH,
                    new java.net.InetSocketAddress("127.0.0.1", 1)).get(5, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("not registered"));
        } finally {
            t.close();
        }
    }

    @Test
    void runsOnEpollWhereItLoads() throws Exception {
        String unavailable = "false".equals(System.getProperty(IoKind.NATIVE_PROPERTY))
                ? "this run forces NIO (-D" + IoKind.NATIVE_PROPERTY + "=false)" : IoKind.epollUnavailable();
        if (unavailable != null) {
            System.out.println("skipped: epoll is not available here: " + unavailable);
        }
        assumeTrue(unavailable == null, "epoll is not available here: " + unavailable);
        NettyPeerTransport t = new NettyPeerTransport(config(0, true));
        try {
            assertEquals("epoll", t.ioKind());
        } finally {
            t.close();
        }
    }

    @Test
    void runsOnNioWhenTheNativeTransportIsSwitchedOff() throws Exception {
        NettyPeerTransport t = new NettyPeerTransport(config(0, false));
        try {
            assertEquals("nio", t.ioKind());
            assertTrue(t.port() > 0);
        } finally {
            t.close();
        }
    }
}
