package io.piecework.wire.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.ExtendedHandshake;
import io.piecework.wire.MetadataMessage;
import io.piecework.transport.PeerConnection;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/** Two transports talking over real loopback sockets, and raw sockets that misbehave. */
class LoopbackTest {
    private static final InfoHash HASH = PeerChannelTest.HASH;
    private NettyPeerTransport seeder;
    private NettyPeerTransport leecher;
    private Events seeding;
    private Events leeching;

    @BeforeEach
    void setUp() throws Exception {
        // Idle far above the keep-alive: an event loop stalled by load past both fired the idle
        // close first, and sendsKeepAlivesAndClosesIdlePeers read no keep-alive.
        TransportSettings s = TransportSettings.defaults().withListen("127.0.0.1", 0).withTimeouts(2000, 500, 100, 3000);
        seeder = new NettyPeerTransport(s, RoaringBitmap::new);
        leecher = new NettyPeerTransport(s.withListen("127.0.0.1", -1), RoaringBitmap::new);
        seeding = new Events(4);
        leeching = new Events(4);
        seeder.register(HASH, seeding);
        leecher.register(HASH, leeching);
    }

    @AfterEach
    void tearDown() {
        leecher.close();
        seeder.close();
    }

    private InetSocketAddress seederAddress() {
        return new InetSocketAddress("127.0.0.1", seeder.port());
    }

    @Test
    void blockTravelsFromAFileToThePeer(@TempDir Path dir) throws Exception {
        byte[] data = new byte[4 * 16384];
        new Random(9).nextBytes(data);
        Path file = Files.write(dir.resolve("data"), data);
        CountDownLatch sent = new CountDownLatch(1);
        try (FileChannel fc = FileChannel.open(file, StandardOpenOption.READ)) {
            seeding.serveFrom(fc, 16384, sent::countDown);
            PeerConnection c = leecher.connect(HASH, seederAddress()).get(10, TimeUnit.SECONDS);
            PeerConnection s = seeding.connection();
            s.haveAll();
            assertEquals("have all", leeching.next());
            c.interested();
            assertEquals("unchoke", leeching.next());
            c.request(2, 100, 16000);
            String piece = leeching.next();
            byte[] expected = new byte[16000];
            System.arraycopy(data, 2 * 16384 + 100, expected, 0, 16000);
            assertEquals("piece 2 100 " + HexFormat.of().formatHex(expected), piece);
            assertTrue(sent.await(10, TimeUnit.SECONDS), "the sender heard that the file may go");
            assertEquals("interested", seeding.next());
            assertEquals("request 2 100 16000", seeding.next());
        }
        assertTrue(fcStillUsable(file), "the transport never closes storage's file");
    }

    @Test
    void aBatchFromAnotherThreadRunsOnTheConnectionsLoopInOrder() throws Exception {
        PeerConnection c = leecher.connect(HASH, seederAddress()).get(10, TimeUnit.SECONDS);
        CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
        c.batch(() -> {
            onLoop.complete(((PeerChannel) c).channel().eventLoop().inEventLoop());
            c.interested();
            c.have(1);
        });
        c.batch(() -> c.have(2));
        assertTrue(onLoop.get(10, TimeUnit.SECONDS), "the batch ran on the connection's event loop");
        assertEquals("interested", seeding.next());
        assertEquals("have 1", seeding.next());
        assertEquals("have 2", seeding.next());
    }

    @Test
    void fileBlocksSentFromSeveralThreadsAtOnceArriveWhole(@TempDir Path dir) throws Exception {
        int pieceLength = 64 * 16384;
        byte[] data = new byte[4 * pieceLength];
        new Random(10).nextBytes(data);
        Path file = Files.write(dir.resolve("data"), data);
        ExecutorService disk = Executors.newFixedThreadPool(4); // as the engine's disk pool sends
        try (FileChannel fc = FileChannel.open(file, StandardOpenOption.READ)) {
            seeding.serve((c, piece, begin, length) ->
                    disk.execute(() -> c.piece(piece, begin, fc, (long) piece * pieceLength + begin, length, () -> { })));
            PeerConnection c = leecher.connect(HASH, seederAddress()).get(10, TimeUnit.SECONDS);
            seeding.connection().haveAll();
            assertEquals("have all", leeching.next());
            c.interested();
            assertEquals("unchoke", leeching.next());
            for (int piece = 0; piece < 4; piece++) {
                for (int begin = 0; begin < pieceLength; begin += 16384) {
                    c.request(piece, begin, 16384);
                }
            }
            for (int i = 0; i < 4 * 64; i++) {
                String[] got = leeching.next().split(" ");
                int at = Integer.parseInt(got[1]) * pieceLength + Integer.parseInt(got[2]);
                assertTrue(HexFormat.of().formatHex(data, at, at + 16384).equals(got[3]), "block at " + at + " arrived garbled");
            }
        } finally {
            disk.shutdownNow();
        }
    }

    private static boolean fcStillUsable(Path file) throws IOException {
        return Files.size(file) == 4 * 16384;
    }

    @Test
    void extendedHandshakeNegotiatesIdsForUtMetadata() throws Exception {
        PeerConnection c = leecher.connect(HASH, seederAddress()).get(10, TimeUnit.SECONDS);
        PeerConnection s = seeding.connection();
        s.extendedHandshake(new ExtendedHandshake(java.util.Map.of("ut_metadata", 7), "seeder", 0, 250, 123, null, null, null));
        assertEquals("extended handshake {ut_metadata=7} seeder", leeching.next());
        // The leecher sends under id 7, which the seeder never announced locally: it arrives as
        // an unknown extended message. Under its own announced ids (ut_metadata=2) it decodes.
        assertTrue(c.metadata(MetadataMessage.request(0)));
        c.extendedHandshake(ExtendedHandshake.ours("leecher", 0, 250, -1));
        assertEquals("extended handshake {ut_metadata=2, ut_pex=1} leecher", seeding.next());
        assertTrue(s.metadata(MetadataMessage.reject(0)));
        assertEquals("metadata 2 0", leeching.next());
        assertEquals(7, c.remoteExtendedHandshake().idOf("ut_metadata"));
    }

    /** 20,000 connections each keeping a decoded copy of their torrent's info-hash was 1 KiB per torrent. */
    @Test
    void bothEndsKeepTheTorrentsOwnInfoHashNotACopy() throws Exception {
        String hex = "fedcba9876543210fedcba9876543210fedcba98";
        InfoHash ours = InfoHash.parse(hex);
        Events torrent = new Events(4);
        seeder.register(ours, torrent);
        InfoHash theirs = InfoHash.parse(hex);
        leecher.register(theirs, new Events(4));
        PeerConnection out = leecher.connect(theirs, seederAddress()).get(10, TimeUnit.SECONDS);
        PeerConnection in = torrent.connections.poll(10, TimeUnit.SECONDS);
        assertNotNull(in, "the seeder saw the connection");
        assertSame(ours, in.remoteHandshake().infoHash(), "incoming");
        assertSame(theirs, out.remoteHandshake().infoHash(), "outgoing");
    }

    @Test
    void connectionForUnknownTorrentIsClosed() {
        seeder.register(InfoHash.parse("1111111111111111111111111111111111111111"), new Events(1)).close();
        InfoHash other = InfoHash.parse("2222222222222222222222222222222222222222");
        leecher.register(other, new Events(1));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> leecher.connect(other, seederAddress()).get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("closed by peer"), e.getCause().getMessage());
    }

    @Test
    void refusedConnectFailsTheFuture() throws Exception {
        int port;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = ss.getLocalPort();
        }
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> leecher.connect(HASH, new InetSocketAddress("127.0.0.1", port)).get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("cannot connect"), e.getCause().getMessage());
    }

    @Test
    void connectGivesUpAfterTheTimeout() throws Exception {
        // A listener that never accepts, its backlog filled: Linux drops further SYNs, so a
        // connect neither succeeds nor is refused until our 2 s timeout.
        try (java.net.ServerSocket full = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.util.List<Socket> fillers = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket f = new Socket();
                    try {
                        f.connect(full.getLocalSocketAddress(), 200);
                    } catch (IOException expectedOnceFull) {
                        // the backlog is already full
                    }
                    fillers.add(f);
                }
                long start = System.nanoTime();
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> leecher.connect(HASH, (InetSocketAddress) full.getLocalSocketAddress()).get(10, TimeUnit.SECONDS));
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(e.getCause().getMessage().contains("timed out"), e.getCause().getMessage());
                assertTrue(ms >= 1500, "gave up after " + ms + " ms");
            } finally {
                for (Socket f : fillers) {
                    f.close();
                }
            }
        }
    }

    private Socket rawPeer() throws IOException {
        Socket s = new Socket("127.0.0.1", seeder.port());
        s.setSoTimeout(10_000);
        return s;
    }

    private static byte[] readHandshake(InputStream in) throws IOException {
        byte[] b = new byte[68];
        new DataInputStream(in).readFully(b);
        return b;
    }

    @Test
    void peerThatNeverHandshakesIsClosedAfterTheTimeout() throws Exception {
        try (Socket s = rawPeer()) {
            s.getOutputStream().write(new byte[] {19, 'B', 'i'});
            long start = System.nanoTime();
            assertEquals(-1, s.getInputStream().read(), "closed without a reply");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(ms >= 300, "closed after " + ms + " ms, before the 500 ms handshake timeout");
        }
    }

    @Test
    void garbageAfterHandshakeClosesOnlyThatConnection() throws Exception {
        PeerConnection good = leecher.connect(HASH, seederAddress()).get(10, TimeUnit.SECONDS);
        seeding.connection();
        try (Socket s = rawPeer()) {
            s.getOutputStream().write(PeerChannelTest.handshake(HASH));
            readHandshake(s.getInputStream());
            seeding.connection();
            byte[] garbage = new byte[1000];
            new Random(5).nextBytes(garbage);
            s.getOutputStream().write(garbage);
            assertTrue(seeding.closeReason().startsWith("protocol violation: "), seeding.closed.get());
            assertEquals(-1, drain(s.getInputStream()));
        }
        good.have(3);
        assertEquals("have 3", seeding.next());
    }

    @Test
    void fourGiBLengthPrefixIsRejected() throws Exception {
        try (Socket s = rawPeer()) {
            s.getOutputStream().write(PeerChannelTest.handshake(HASH));
            readHandshake(s.getInputStream());
            s.getOutputStream().write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            assertEquals("protocol violation: length prefix 4294967295 exceeds the limit of 1048576",
                    seeding.closeReason());
        }
    }

    @Test
    void sendsKeepAlivesAndClosesIdlePeers() throws Exception {
        try (Socket s = rawPeer()) {
            s.getOutputStream().write(PeerChannelTest.handshake(HASH));
            readHandshake(s.getInputStream());
            byte[] keepAlive = new byte[4];
            new DataInputStream(s.getInputStream()).readFully(keepAlive);
            assertArrayEquals(new byte[4], keepAlive, "a keep-alive after 100 ms of silence");
            assertEquals("nothing received for 3000 ms", seeding.closeReason());
        }
    }

    private static int drain(InputStream in) throws IOException {
        int r;
        while ((r = in.read()) >= 0) {
            // keep-alives or what else was queued before the close
        }
        return r;
    }
}
