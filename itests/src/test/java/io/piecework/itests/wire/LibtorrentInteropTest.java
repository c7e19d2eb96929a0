package io.piecework.itests.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.piecework.wire.ExtendedHandshake;
import io.piecework.wire.Extensions;
import io.piecework.wire.MetadataMessage;
import io.piecework.wire.internal.NettyPeerTransport;
import io.piecework.wire.internal.TransportSettings;
import io.piecework.transport.PeerConnection;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.roaringbitmap.RoaringBitmap;

/** Piecework's wire protocol against libtorrent-rasterbar 2.0.8 over loopback, both directions. */
class LibtorrentInteropTest {
    /** Four pieces of 32 KiB, the last one short: two blocks per piece, one odd-sized block. */
    private static final int SIZE = 3 * 32768 + 5000;
    @TempDir
    Path dir;
    private TestTorrent torrent;
    private NettyPeerTransport transport;

    @BeforeAll
    static void libtorrentIsInstalled() {
        assumeTrue(Files.isExecutable(Path.of(LibtorrentPeer.PYTHON)), "needs /usr/bin/python3 with python3-libtorrent");
    }

    @BeforeEach
    void setUp() throws Exception {
        torrent = TestTorrent.create(dir, SIZE, 32768);
        transport = new NettyPeerTransport(TransportSettings.defaults().withListen("127.0.0.1", 0), RoaringBitmap::new);
    }

    @AfterEach
    void tearDown() {
        transport.close();
    }

    @Test
    void downloadsBlocksAndMetadataFromLibtorrent() throws Exception {
        RecordingTorrent t = new RecordingTorrent(torrent.pieceCount());
        transport.register(torrent.infoHash(), t);
        try (LibtorrentPeer seed = LibtorrentPeer.start(dir, "seed", torrent.torrent().toString(), torrent.dataDir().toString())) {
            int port = seed.port();
            PeerConnection c = transport.connect(torrent.infoHash(), new InetSocketAddress("127.0.0.1", port))
                    .get(10, TimeUnit.SECONDS);
            assertTrue(c.extensionProtocol(), "libtorrent announces BEP 10 in its handshake");
            assertTrue(c.fastExtension(), "libtorrent announces BEP 6 in its handshake");
            assertEquals("-LT2080-", c.remoteHandshake().peerId().clientPrefix());

            c.extendedHandshake(ExtendedHandshake.ours("Piecework 0.1", 0, 250, -1));
            ExtendedHandshake theirs = (ExtendedHandshake) t.await("extended handshake", 10);
            assertTrue(theirs.idOf(Extensions.UT_METADATA) > 0, "ut_metadata in " + theirs.m());
            assertTrue(theirs.idOf(Extensions.UT_PEX) > 0, "ut_pex in " + theirs.m());
            assertEquals(torrent.info().length, theirs.metadataSize());
            assertTrue(theirs.v().startsWith("libtorrent"), theirs.v());
            assertTrue(theirs.reqq() > 0);

            RecordingTorrent.Msg have = t.awaitAny(10, "have all", "bitfield");
            if (have.kind().equals("bitfield")) {
                RoaringBitmap all = new RoaringBitmap();
                all.add(0L, torrent.pieceCount());
                assertEquals(all, have.value());
            }

            c.interested();
            t.await("unchoke", 10);

            c.request(1, 16384, 16384);
            RecordingTorrent.Block b = (RecordingTorrent.Block) t.await("piece", 10);
            assertEquals(1, b.piece());
            assertEquals(16384, b.begin());
            assertArrayEquals(Arrays.copyOfRange(torrent.content(), 32768 + 16384, 32768 + 32768), b.bytes());

            int last = torrent.pieceCount() - 1;
            c.request(last, 0, 5000);
            b = (RecordingTorrent.Block) t.await("piece", 10);
            assertArrayEquals(Arrays.copyOfRange(torrent.content(), last * 32768, SIZE), b.bytes());

            ByteArrayOutputStream info = new ByteArrayOutputStream();
            int pieces = MetadataMessage.pieceCount(theirs.metadataSize());
            for (int i = 0; i < pieces; i++) {
                assertTrue(c.metadata(MetadataMessage.request(i)));
                MetadataMessage m = (MetadataMessage) t.await("metadata", 10);
                assertEquals(MetadataMessage.DATA, m.type());
                assertEquals(i, m.piece());
                assertEquals(theirs.metadataSize(), m.totalSize());
                info.write(m.data().array());
            }
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(info.toByteArray());
            assertArrayEquals(torrent.infoHash().bytes(), sha1, "SHA-1 of the fetched info dictionary is the info-hash");
        }
    }

    /** Announcing our pieces both ways: BEP 6 have-all, and a BEP 3 bitfield. */
    @ParameterizedTest(name = "announced with {0}")
    @ValueSource(strings = {"have all", "bitfield"})
    void libtorrentDownloadsAndVerifiesEveryPieceFromPiecework(String announce) throws Exception {
        RecordingTorrent t = new RecordingTorrent(torrent.pieceCount());
        AtomicInteger requests = new AtomicInteger();
        Path leechDir = Files.createDirectories(dir.resolve("leech"));
        try (FileChannel file = FileChannel.open(torrent.data(), StandardOpenOption.READ)) {
            t.onMessage = (c, m) -> {
                switch (m.kind()) {
                    case "interested" -> c.unchoke();
                    case "request" -> {
                        int[] r = (int[]) m.value();
                        requests.incrementAndGet();
                        c.piece(r[0], r[1], file, (long) r[0] * torrent.pieceLength() + r[1], r[2]);
                    }
                    default -> { }
                }
            };
            transport.register(torrent.infoHash(), t);
            try (LibtorrentPeer leech = LibtorrentPeer.start(dir, "leech", torrent.torrent().toString(), leechDir.toString(),
                    Integer.toString(transport.port()))) {
                leech.port();
                PeerConnection c = t.connection.get(30, TimeUnit.SECONDS);
                assertTrue(c.extensionProtocol() && c.fastExtension());
                c.extendedHandshake(ExtendedHandshake.ours("Piecework 0.1", transport.port(), 250, torrent.info().length));
                if (announce.equals("have all")) {
                    c.haveAll();
                } else {
                    RoaringBitmap all = new RoaringBitmap();
                    all.add(0L, torrent.pieceCount());
                    c.bitfield(all);
                }
                ExtendedHandshake theirs = (ExtendedHandshake) t.await("extended handshake", 10);
                assertTrue(theirs.idOf(Extensions.UT_METADATA) > 0);
                java.util.Set<String> verified = new java.util.TreeSet<>();
                for (int i = 0; i < torrent.pieceCount(); i++) {
                    String line = leech.await("PIECE ", 60);
                    verified.add(line);
                }
                assertEquals(torrent.pieceCount(), verified.size(), "libtorrent verified each piece: " + verified);
                leech.await("DONE", 30);
                assertEquals(java.util.List.of(), leech.drained("HASHFAILED"));
            }
        }
        assertTrue(requests.get() >= 7, "libtorrent asked for every block, got " + requests.get() + " requests");
        assertArrayEquals(torrent.content(), Files.readAllBytes(dir.resolve("leech").resolve("data.bin")));
    }
}
