package io.piecework.wire.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.transport.PeerConnection;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * BEP 52's upgrade: we dial a hybrid torrent with its v1 hash and the v2 bit; the peer may answer
 * with the truncated v2 hash of the same torrent (libtorrent 2.0.8 does, always), and the
 * connection is then in the v2 swarm. An answer for a torrent we did not dial is still refused.
 */
class HandshakeUpgradeTest {
    private static final InfoHash V1 = InfoHash.parse("0123456789abcdef0123456789abcdef01234567");
    private static final InfoHash V2 = InfoHash.parse("fedcba9876543210fedcba9876543210fedcba98");
    private static final InfoHash OTHER = InfoHash.parse("00112233445566778899aabbccddeeff00112233");
    private NettyPeerTransport transport;
    private final ExecutorService peer = Executors.newSingleThreadExecutor();

    @BeforeEach
    void setUp() throws Exception {
        transport = new NettyPeerTransport(TransportSettings.defaults().withListen("127.0.0.1", -1)
                .withTimeouts(2000, 500, 100, 600), RoaringBitmap::new);
        Events hybrid = new Events(4);
        transport.register(V1, hybrid);
        transport.register(V2, hybrid); // one torrent, two swarms
        transport.register(OTHER, new Events(4));
    }

    @AfterEach
    void tearDown() {
        transport.close();
        peer.shutdownNow();
    }

    @Test
    void anAnswerWithTheSameTorrentsOtherHashUpgradesTheConnection() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> dialled = answerWith(server, V2);
            PeerConnection c = transport.connect(V1, address(server)).get(10, TimeUnit.SECONDS);
            byte[] ours = dialled.get(10, TimeUnit.SECONDS);
            assertArrayEquals(V1.bytes(), Arrays.copyOfRange(ours, 28, 48), "dialled with the v1 hash");
            assertEquals(V2, c.remoteHandshake().infoHash(), "the connection is in the v2 swarm");
        }
    }

    @Test
    void anAnswerForAnotherTorrentIsRefused() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            answerWith(server, OTHER);
            CompletableFuture<PeerConnection> c = transport.connect(V1, address(server));
            assertThrows(ExecutionException.class, () -> c.get(10, TimeUnit.SECONDS), "the dial fails");
        }
    }

    /** An upgraded connection is shaped by the torrent's limit: both hashes share one shaper. */
    @Test
    void bothHashesOfOneTorrentShareItsRateLimit() {
        assertNotNull(transport.torrentShaper(V1));
        assertSame(transport.torrentShaper(V1), transport.torrentShaper(V2));
        assertNotSame(transport.torrentShaper(V1), transport.torrentShaper(OTHER));
    }

    private static InetSocketAddress address(ServerSocket server) {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    /** The peer: reads our handshake, answers with {@code hash}; completes with what we sent. */
    private CompletableFuture<byte[]> answerWith(ServerSocket server, InfoHash hash) {
        CompletableFuture<byte[]> sent = new CompletableFuture<>();
        peer.execute(() -> {
            try (Socket s = accept(server)) {
                byte[] ours = new byte[68];
                new DataInputStream(s.getInputStream()).readFully(ours);
                sent.complete(ours);
                byte[] answer = Arrays.copyOf(ours, 68);
                System.arraycopy(hash.bytes(), 0, answer, 28, 20);
                System.arraycopy("-XX0001-abcdefghijkl".getBytes(StandardCharsets.US_ASCII), 0, answer, 48, 20);
                s.getOutputStream().write(answer);
                s.getInputStream().read(); // held open until the transport closes it (or 10 s)
            } catch (java.io.IOException e) {
                sent.completeExceptionally(e);
            }
        });
        return sent;
    }

    private static Socket accept(ServerSocket server) throws java.io.IOException {
        server.setSoTimeout(10_000);
        Socket s = server.accept();
        s.setSoTimeout(10_000);
        return s;
    }
}
