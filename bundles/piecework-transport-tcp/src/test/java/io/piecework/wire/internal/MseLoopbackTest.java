package io.piecework.wire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.Handshake;
import io.piecework.wire.PeerId;
import io.piecework.wire.WireEncoder;
import io.piecework.wire.mse.EncryptionSettings;
import io.piecework.wire.mse.MsePolicy;
import io.piecework.transport.PeerConnection;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/** Two transports with encryption policies over real loopback sockets. */
class MseLoopbackTest {
    private static final InfoHash HASH = PeerChannelTest.HASH;
    private NettyPeerTransport seeder;
    private NettyPeerTransport leecher;
    private Events seeding;
    private Events leeching;

    @BeforeEach
    void setUp() throws Exception {
        TransportSettings s = TransportSettings.defaults().withListen("127.0.0.1", 0).withTimeouts(2000, 2000, 1000, 6000);
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

    private PeerConnection connect() throws Exception {
        return leecher.connect(HASH, new InetSocketAddress("127.0.0.1", seeder.port())).get(10, TimeUnit.SECONDS);
    }

    @Test
    void blocksFromFilesAndMemoryArriveWholeOverRc4(@TempDir Path dir) throws Exception {
        seeder.encryption(MsePolicy.FORCED);
        leecher.encryption(MsePolicy.FORCED);
        int pieceLength = 16 * 16384;
        byte[] data = new byte[4 * pieceLength];
        new Random(10).nextBytes(data);
        Path file = Files.write(dir.resolve("data"), data);
        ExecutorService disk = Executors.newFixedThreadPool(3); // as the engine's disk pool sends
        try (FileChannel fc = FileChannel.open(file, StandardOpenOption.READ)) {
            seeding.serve((c, piece, begin, length) -> {
                long at = (long) piece * pieceLength + begin;
                if (piece % 2 == 0) {
                    disk.execute(() -> c.piece(piece, begin, fc, at, length, () -> { }));
                } else {
                    c.piece(piece, begin, ByteBuffer.wrap(data, (int) at, length));
                }
            });
            PeerConnection c = connect();
            seeding.connection().haveAll();
            assertEquals("have all", leeching.next());
            c.interested();
            assertEquals("unchoke", leeching.next());
            for (int piece = 0; piece < 4; piece++) {
                for (int begin = 0; begin < pieceLength; begin += 16384) {
                    c.request(piece, begin, 16384);
                }
            }
            for (int i = 0; i < 4 * 16; i++) {
                String[] got = leeching.next().split(" ");
                int at = Integer.parseInt(got[1]) * pieceLength + Integer.parseInt(got[2]);
                assertEquals(HexFormat.of().formatHex(data, at, at + 16384), got[3], "block at " + at);
            }
        } finally {
            disk.shutdownNow();
        }
    }

    @Test
    void aPlaintextDialRetriesEncryptedWhenThePeerForcesIt() throws Exception {
        seeder.encryption(MsePolicy.FORCED);
        leecher.encryption(MsePolicy.PREFER_PLAINTEXT);
        PeerConnection c = connect();
        c.interested();
        assertEquals("interested", seeding.next());
    }

    @Test
    void anEncryptedDialRetriesPlaintextWhenThePeerHasNoMse() throws Exception {
        seeder.encryption(MsePolicy.DISABLED);
        leecher.encryption(MsePolicy.PREFER_ENCRYPTED);
        PeerConnection c = connect();
        c.interested();
        assertEquals("interested", seeding.next());
    }

    @Test
    void bothEndsSayWhetherTheStreamIsEncrypted() throws Exception {
        seeder.encryption(MsePolicy.FORCED);
        leecher.encryption(MsePolicy.FORCED);
        PeerConnection rc4 = connect();
        rc4.interested();
        assertEquals("interested", seeding.next());
        assertTrue(rc4.encrypted(), "the dialling end");
        assertTrue(seeding.connection().encrypted(), "the accepting end");
        rc4.close("next");
        seeder.encryption(MsePolicy.DISABLED);
        leecher.encryption(MsePolicy.DISABLED);
        PeerConnection plain = connect();
        assertFalse(plain.encrypted());
    }

    @Test
    void aForcedDialDoesNotFallBackToPlaintext() {
        seeder.encryption(MsePolicy.DISABLED);
        leecher.encryption(MsePolicy.FORCED);
        assertThrows(ExecutionException.class, this::connect);
        assertTrue(seeding.connections.isEmpty());
    }

    @Test
    void anEncryptedStreamForATorrentWeDoNotHaveIsClosed() throws Exception {
        seeder.encryption(MsePolicy.FORCED);
        leecher.encryption(MsePolicy.FORCED);
        InfoHash other = InfoHash.of(new byte[20]);
        leecher.register(other, new Events(4));
        assertThrows(ExecutionException.class,
                () -> leecher.connect(other, new InetSocketAddress("127.0.0.1", seeder.port())).get(10, TimeUnit.SECONDS));
    }

    /** Config Admin's change of the policy reaches the next connection, the listener untouched. */
    @Test
    void aModifiedPolicyAppliesToTheNextConnection() throws Exception {
        EncryptionSettings settings = new EncryptionSettings(policy("forced"));
        seeder.bindEncryption(settings);
        leecher.encryption(MsePolicy.DISABLED);
        int port = seeder.port();
        assertThrows(ExecutionException.class, this::connect);
        settings.modified(policy("prefer_plaintext"));
        connect().interested();
        assertEquals("interested", seeding.next());
        assertEquals(port, seeder.port());
    }

    private static EncryptionSettings.Config policy(String value) {
        return new EncryptionSettings.Config() {
            @Override
            public String policy() {
                return value;
            }

            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return EncryptionSettings.Config.class;
            }
        };
    }

    @Test
    void aPlaintextHandshakeIsClosedUnansweredWhenEncryptionIsForced() throws Exception {
        seeder.encryption(MsePolicy.FORCED);
        try (Socket raw = new Socket("127.0.0.1", seeder.port())) {
            raw.setSoTimeout(10_000);
            ByteBuffer h = ByteBuffer.allocate(Handshake.LENGTH);
            WireEncoder.handshake(h, new Handshake(Handshake.ourReserved(false), HASH, PeerId.generate(new SecureRandom())));
            raw.getOutputStream().write(h.array());
            InputStream in = raw.getInputStream();
            assertEquals(-1, in.read(), "closed without a reply");
        }
    }
}
