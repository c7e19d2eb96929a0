package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.transport.PeerConnection;
import io.piecework.transport.PeerHandler;
import io.piecework.transport.PeerTransport;
import io.piecework.transport.TorrentPeers;
import io.piecework.transport.TorrentRegistration;
import io.piecework.wire.PeerId;
import io.piecework.wire.PexMessage;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TransportsTest {
    private static final InfoHash HASH = InfoHash.parse("0123456789abcdef0123456789abcdef01234567");
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 6881);
    private static final TorrentPeers TORRENT = new TorrentPeers() {
        @Override
        public int pieceCount() {
            return 1;
        }

        @Override
        public PeerHandler connected(PeerConnection connection) {
            return null;
        }
    };

    /** A transport that records dials and registrations; dials fail unless it reaches peers. */
    private static final class Fake implements PeerTransport {
        final String name;
        final List<String> log;
        final boolean reaches;
        final Set<InfoHash> registered = new HashSet<>();
        final PeerConnection connection = (PeerConnection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PeerConnection.class}, (proxy, method, args) -> null);

        Fake(String name, List<String> log, boolean reaches) {
            this.name = name;
            this.log = log;
            this.reaches = reaches;
        }

        @Override
        public PeerId localPeerId() {
            return PeerId.generate(new Random(name.hashCode()));
        }

        @Override
        public int port() {
            return name.length();
        }

        @Override
        public TorrentRegistration register(InfoHash infoHash, TorrentPeers torrent) {
            registered.add(infoHash);
            return () -> registered.remove(infoHash);
        }

        @Override
        public CompletableFuture<PeerConnection> connect(InfoHash infoHash, InetSocketAddress address) {
            log.add(name);
            return reaches ? CompletableFuture.completedFuture(connection)
                    : CompletableFuture.failedFuture(new IOException(name + " refused"));
        }
    }

    @Test
    void aDialFallsBackToTheNextTransportInTheConfiguredOrder() throws Exception {
        List<String> log = new ArrayList<>();
        Fake tcp = new Fake("tcp", log, false);
        Fake utp = new Fake("utp", log, true);
        Transports transports = new Transports(tcp, Transports.TCP);
        transports.add(Transports.UTP, utp);
        assertSame(utp.connection, transports.connect(HASH, PEER).get(10, TimeUnit.SECONDS));
        assertEquals(List.of("tcp", "utp"), log);

        log.clear();
        transports.preference(List.of("utp", "tcp"));
        transports.connect(HASH, PEER).get(10, TimeUnit.SECONDS);
        assertEquals(List.of("utp"), log, "uTP first when so configured, and no TCP dial once it connected");
        assertEquals(tcp.port(), transports.port(), "the primary's port and peer id are the engine's");
        assertEquals(tcp.localPeerId(), transports.localPeerId());
    }

    @Test
    void aPeerThatPexSaysSpeaksUtpIsDialledOverUtpFirst() throws Exception {
        List<String> log = new ArrayList<>();
        Transports transports = new Transports(new Fake("tcp", log, true), Transports.TCP);
        transports.add(Transports.UTP, new Fake("utp", log, true));
        InetSocketAddress other = new InetSocketAddress("127.0.0.2", 7000);
        transports.learn(new PexMessage(List.of(PEER, other), new byte[] {Transports.PEX_UTP, 0}, List.of(),
                List.of(), new byte[0], List.of()));
        transports.connect(HASH, PEER).get(10, TimeUnit.SECONDS);
        transports.connect(HASH, other).get(10, TimeUnit.SECONDS);
        assertEquals(List.of("utp", "tcp"), log);
    }

    @Test
    void whenEveryTransportFailsTheDialFailsWithTheLastReason() {
        List<String> log = new ArrayList<>();
        Transports transports = new Transports(new Fake("tcp", log, false), Transports.TCP);
        transports.add(Transports.UTP, new Fake("utp", log, false));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> transports.connect(HASH, PEER).get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("utp refused"), e.getCause().toString());
        assertEquals(List.of("tcp", "utp"), log);
    }

    @Test
    void torrentsRegisterWithEveryTransportAlsoOneThatComesLaterAndLeaveAllAtOnce() {
        List<String> log = new ArrayList<>();
        Fake tcp = new Fake("tcp", log, true);
        Fake utp = new Fake("utp", log, true);
        Transports transports = new Transports(tcp, Transports.TCP);
        TorrentRegistration registration = transports.register(HASH, TORRENT);
        assertEquals(Set.of(HASH), tcp.registered);
        transports.add(Transports.UTP, utp);
        assertEquals(Set.of(HASH), utp.registered, "a transport that appears accepts the running torrents' peers");
        registration.close();
        assertEquals(Set.of(), tcp.registered);
        assertEquals(Set.of(), utp.registered);

        transports.register(HASH, TORRENT);
        transports.remove(utp);
        assertEquals(Set.of(), utp.registered, "a transport that goes takes its registrations along");
        assertEquals(List.of("tcp"), transports.protocols());
    }
}
