package io.piecework.wire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.transport.PeerConnection;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * The default listen address, the wildcard 0.0.0.0, takes IPv6 peers too: the transport binds
 * the dual-stack wildcard {@code ::} where the kernel has IPv6, so a peer reaches it over ::1 and
 * over 127.0.0.1 (seen as an IPv4 address, as before). A named address is bound as named.
 */
class DualStackListenTest {
    private static final InfoHash HASH = PeerChannelTest.HASH;
    private NettyPeerTransport listening;
    private NettyPeerTransport dialling;

    @AfterEach
    void tearDown() {
        if (dialling != null) {
            dialling.close();
        }
        if (listening != null) {
            listening.close();
        }
    }

    @Test
    void theWildcardDefaultTakesPeersOverIpv6AndIpv4() throws Exception {
        assumeTrue(ipv6Loopback(), "the kernel has no IPv6 loopback (::1)");
        Events accepted = start("0.0.0.0");
        PeerConnection v6 = dialling.connect(HASH, new InetSocketAddress("::1", listening.port()))
                .get(10, TimeUnit.SECONDS);
        assertEquals(InetAddress.getByName("::1"), accepted.connection().remoteAddress().getAddress());
        v6.close("done");
        dialling.connect(HASH, new InetSocketAddress("127.0.0.1", listening.port())).get(10, TimeUnit.SECONDS);
        InetAddress v4 = accepted.connection().remoteAddress().getAddress();
        assertInstanceOf(Inet4Address.class, v4, "an IPv4 peer is an IPv4 address, not ::ffff:127.0.0.1");
        assertTrue(v4.isLoopbackAddress());
    }

    @Test
    void aNamedIpv4AddressIsBoundAsNamed() throws Exception {
        assumeTrue(ipv6Loopback(), "the kernel has no IPv6 loopback (::1)");
        start("127.0.0.1");
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> dialling.connect(HASH, new InetSocketAddress("::1", listening.port())).get(10, TimeUnit.SECONDS));
        assertTrue(refused.getCause() instanceof IOException, refused.toString());
        dialling.connect(HASH, new InetSocketAddress("127.0.0.1", listening.port())).get(10, TimeUnit.SECONDS);
    }

    private Events start(String address) throws IOException {
        TransportSettings s = TransportSettings.defaults().withTimeouts(2000, 500, 100, 600);
        listening = new NettyPeerTransport(s.withListen(address, 0), RoaringBitmap::new);
        dialling = new NettyPeerTransport(s.withListen("127.0.0.1", -1), RoaringBitmap::new);
        Events accepted = new Events(4);
        listening.register(HASH, accepted);
        dialling.register(HASH, new Events(4));
        return accepted;
    }

    private static boolean ipv6Loopback() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
