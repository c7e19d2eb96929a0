package io.piecework.transport.utp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.transport.PeerConnection;
import io.piecework.wire.PeerId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/** Two uTP transports on loopback carry the peer wire protocol between two torrents. */
class UtpPeerTransportTest {
    private static final InfoHash HASH = InfoHash.parse("0123456789abcdef0123456789abcdef01234567");
    private static final UtpSettings SETTINGS = UtpSettings.defaults().withListen("127.0.0.1", 0).withLimits(8, 2000);
    private final PeerId seederId = PeerId.generate(new Random(1));
    private UtpPeerTransport seeder;
    private UtpPeerTransport leecher;
    private Events seeding;
    private Events leeching;

    @BeforeEach
    void setUp() throws Exception {
        seeder = new UtpPeerTransport(SETTINGS, seederId, -1, RoaringBitmap::new);
        leecher = new UtpPeerTransport(SETTINGS.withListen("127.0.0.1", -1), PeerId.generate(new Random(2)), -1,
                RoaringBitmap::new);
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
    void handshakeMessagesAndABlockFromAFileTravelOverUtp(@TempDir Path dir) throws Exception {
        byte[] data = new byte[4 * 16384];
        new Random(9).nextBytes(data);
        Path file = Files.write(dir.resolve("data"), data);
        CountDownLatch sent = new CountDownLatch(1);
        try (FileChannel fc = FileChannel.open(file, StandardOpenOption.READ)) {
            seeding.serveFrom(fc, 16384, sent::countDown);
            PeerConnection c = leecher.connect(HASH, seederAddress()).get(10, TimeUnit.SECONDS);
            assertEquals(seederId, c.remoteHandshake().peerId(), "the handshake carries the transport's peer id");
            assertEquals(seeder.port(), c.remoteAddress().getPort());
            PeerConnection s = seeding.connection();
            s.haveAll();
            assertEquals("have all", leeching.next());
            c.interested();
            assertEquals("unchoke", leeching.next());
            c.request(2, 100, 16000);
            byte[] expected = new byte[16000];
            System.arraycopy(data, 2 * 16384 + 100, expected, 0, 16000);
            assertEquals("piece 2 100 " + HexFormat.of().formatHex(expected), leeching.next());
            assertTrue(sent.await(10, TimeUnit.SECONDS), "the sender heard that the file may go");
            assertEquals("interested", seeding.next());
            assertEquals("request 2 100 16000", seeding.next());

            c.close("done");
            assertEquals("done", leeching.closeReason());
            assertEquals("closed by peer", seeding.closeReason(), "the peer's FIN ends the seeder's side");
        }
    }

    @Test
    void manyBlocksArriveWholeAndInOrder() throws Exception {
        seeding.reply = (c, e) -> {
            if (e.startsWith("request")) {
                String[] p = e.split(" ");
                byte[] block = new byte[Integer.parseInt(p[3])];
                new Random(Integer.parseInt(p[1]) * 1000L + Integer.parseInt(p[2])).nextBytes(block);
                c.piece(Integer.parseInt(p[1]), Integer.parseInt(p[2]), ByteBuffer.wrap(block));
            }
        };
        PeerConnection c = leecher.connect(HASH, seederAddress()).get(10, TimeUnit.SECONDS);
        int blocks = 256; // 4 MiB
        for (int i = 0; i < blocks; i++) {
            c.request(i % 4, (i / 4) * 16384, 16384);
        }
        for (int i = 0; i < blocks; i++) {
            byte[] block = new byte[16384];
            new Random((i % 4) * 1000L + (i / 4) * 16384).nextBytes(block);
            assertEquals("piece " + (i % 4) + " " + (i / 4) * 16384 + " " + HexFormat.of().formatHex(block),
                    leeching.next(), "block " + i);
        }
    }

    /**
     * libtorrent asks for up to 500 blocks at once and the engine queues up to 1000 per peer, all
     * sent as fast as the disk reads them: the connection must take them all and send them as
     * the window allows, not give up on the peer (it did at 4 MiB waiting: every upload to
     * libtorrent over uTP restarted its connection again and again).
     */
    @Test
    void aPeerAskingForSevenHundredBlocksAtOnceGetsThemAllOnOneConnection() throws Exception {
        seeding.reply = (c, e) -> {
            if (e.startsWith("request")) {
                String[] p = e.split(" ");
                c.piece(Integer.parseInt(p[1]), Integer.parseInt(p[2]), ByteBuffer.allocate(16384));
            }
        };
        PeerConnection c = leecher.connect(HASH, seederAddress()).get(10, TimeUnit.SECONDS);
        int blocks = 700;
        c.batch(() -> {
            for (int i = 0; i < blocks; i++) {
                c.request(i % 4, (i / 4) * 16384, 16384);
            }
        });
        for (int i = 0; i < blocks; i++) {
            String next = leeching.next();
            assertTrue(next.startsWith("piece " + (i % 4) + " " + (i / 4) * 16384 + " "), "block " + i + ": "
                    + next.substring(0, Math.min(80, next.length())) + "; closed: " + leeching.closed.getNow(null));
        }
        assertEquals(null, leeching.closed.getNow(null), "one connection carried them all");
    }

    @Test
    void whatArrivesWhileReadingIsPausedIsHeldAndHandedOnResume() throws Exception {
        PeerConnection c = leecher.connect(HASH, seederAddress()).get(10, TimeUnit.SECONDS);
        PeerConnection s = seeding.connection();
        c.pauseReading();
        c.batch(() -> { }); // the pause is in place (it runs on the loop) before anything is sent
        CountDownLatch loop = new CountDownLatch(1);
        leecher.run(loop::countDown);
        assertTrue(loop.await(10, TimeUnit.SECONDS));
        s.have(1);
        s.have(3);
        CountDownLatch probe = new CountDownLatch(1);
        // A round trip the other way: once the seeder got this, its haves had been sent before it.
        seeding.reply = (conn, e) -> probe.countDown();
        c.interested();
        assertTrue(probe.await(10, TimeUnit.SECONDS));
        assertEquals("interested", seeding.next());
        c.resumeReading();
        assertEquals("have 1", leeching.next());
        assertEquals("have 3", leeching.next());
    }

    @Test
    void aConnectionForAnUnknownTorrentIsRefusedAndAnUnregisteredDialFails() throws Exception {
        InfoHash other = InfoHash.parse("ffffffffffffffffffffffffffffffffffffffff");
        leecher.register(other, new Events(1));
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> leecher.connect(other, seederAddress()).get(10, TimeUnit.SECONDS));
        assertTrue(refused.getCause().getMessage() != null, "a reason: " + refused.getCause());
        assertThrows(ExecutionException.class,
                () -> leecher.connect(InfoHash.parse("eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"), seederAddress())
                        .get(10, TimeUnit.SECONDS));
    }

    @Test
    void theListenPortFollowsTheTcpTransportsWhenConfiguredZero() throws Exception {
        int free;
        try (UtpPeerTransport probe = new UtpPeerTransport(SETTINGS, seederId, -1, RoaringBitmap::new)) {
            free = probe.port();
        }
        try (UtpPeerTransport follows = new UtpPeerTransport(SETTINGS, seederId, free, RoaringBitmap::new)) {
            assertEquals(free, follows.port());
            assertSame(seederId, follows.localPeerId());
        }
    }

    @Test
    void aPortHeldByAnotherSocketLeavesUtpDiallingNotFailed() throws Exception {
        try (java.net.DatagramSocket holder = new java.net.DatagramSocket(
                new java.net.InetSocketAddress("127.0.0.1", 0))) {
            // Before, the constructor threw "cannot bind uTP" and the component stayed unsatisfied.
            try (UtpPeerTransport dialOnly = new UtpPeerTransport(SETTINGS, seederId, holder.getLocalPort(),
                    RoaringBitmap::new)) {
                assertEquals(-1, dialOnly.port(), "not listening, but there to dial");
            }
        }
    }
}
