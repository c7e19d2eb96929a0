package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piecework.api.discovery.DhtNode;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.Handshake;
import io.piecework.wire.PeerId;
import io.piecework.transport.PeerConnection;
import java.lang.reflect.Proxy;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DhtPortsTest {
    private final List<Object> sent = new ArrayList<>();
    private final List<InetSocketAddress> pinged = new ArrayList<>();

    private final DhtNode node = new DhtNode() {
        @Override
        public int port() {
            return 6999;
        }

        @Override
        public void ping(InetSocketAddress address) {
            pinged.add(address);
        }

        /** BEP 32: the IPv6 DHT's own port (not an @Override, so this test compiles without the method). */
        public int portFor(InetAddress peer) {
            return peer instanceof Inet6Address ? 7999 : 6999;
        }
    };

    /** A connection from 127.0.0.5:51000 whose handshake does or does not announce the DHT. */
    private PeerConnection connection(boolean dht) {
        return connection(dht, new InetSocketAddress("127.0.0.5", 51000));
    }

    private PeerConnection connection(boolean dht, InetSocketAddress remote) {
        Handshake theirs = new Handshake(Handshake.ourReserved(dht), InfoHash.of(new byte[20]),
                PeerId.generate(new Random(1)));
        return (PeerConnection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PeerConnection.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "remoteHandshake":
                            return theirs;
                        case "remoteAddress":
                            return remote;
                        case "port":
                            sent.add(args[0]);
                            return null;
                        default:
                            throw new AssertionError("unexpected " + method.getName());
                    }
                });
    }

    @Test
    void peersThatSupportTheDhtLearnOurPort() {
        DhtPorts ports = new DhtPorts();
        ports.use(node);
        ports.advertise(connection(true));
        ports.advertise(connection(false));
        assertEquals(List.of(6999), sent);
    }

    @Test
    void eachPeerLearnsTheDhtPortOfItsOwnAddressFamily() {
        DhtPorts ports = new DhtPorts();
        ports.use(node);
        ports.advertise(connection(true, new InetSocketAddress("::1", 51000)));
        ports.advertise(connection(true));
        assertEquals(List.of(7999, 6999), sent);
    }

    @Test
    void aPeersDhtPortIsPingedAtItsAddress() {
        DhtPorts ports = new DhtPorts();
        ports.use(node);
        ports.learned(connection(true), 7001);
        ports.learned(connection(true), 0);
        assertEquals(List.of(new InetSocketAddress("127.0.0.5", 7001)), pinged);
    }

    @Test
    void withoutADhtNodeNothingIsSentOrPinged() {
        DhtPorts ports = new DhtPorts();
        ports.advertise(connection(true));
        ports.learned(connection(true), 7001);
        assertEquals(List.of(), sent);
        assertEquals(List.of(), pinged);
    }
}
