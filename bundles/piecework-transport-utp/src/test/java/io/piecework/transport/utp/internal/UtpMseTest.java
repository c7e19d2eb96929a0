package io.piecework.transport.utp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.transport.PeerConnection;
import io.piecework.wire.PeerId;
import io.piecework.wire.mse.MsePolicy;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * Message stream encryption over uTP: two transports on loopback (real UDP sockets), each with
 * its own policy, as two clients with different settings meet in a swarm.
 */
class UtpMseTest {
    private static final InfoHash HASH = InfoHash.parse("0123456789abcdef0123456789abcdef01234567");
    private static final UtpSettings SETTINGS = UtpSettings.defaults().withListen("127.0.0.1", 0).withLimits(8, 2000);
    private UtpPeerTransport seeder;
    private UtpPeerTransport leecher;
    private Events seeding;
    private Events leeching;

    @BeforeEach
    void setUp() throws Exception {
        seeder = new UtpPeerTransport(SETTINGS, PeerId.generate(new Random(1)), -1, RoaringBitmap::new);
        leecher = new UtpPeerTransport(SETTINGS.withListen("127.0.0.1", -1), PeerId.generate(new Random(2)), -1,
                RoaringBitmap::new);
        seeding = new Events(4);
        leeching = new Events(4);
        seeder.register(HASH, seeding);
        leecher.register(HASH, leeching);
        seeding.reply = (c, e) -> {
            if (e.startsWith("request")) {
                String[] p = e.split(" ");
                c.piece(Integer.parseInt(p[1]), Integer.parseInt(p[2]), ByteBuffer.wrap(block(p[1], p[2])));
            }
        };
    }

    @AfterEach
    void tearDown() {
        leecher.close();
        seeder.close();
    }

    private PeerConnection dial() throws Exception {
        return leecher.connect(HASH, new InetSocketAddress("127.0.0.1", seeder.port())).get(20, TimeUnit.SECONDS);
    }

    private static byte[] block(String piece, String begin) {
        byte[] block = new byte[16384];
        new Random(Integer.parseInt(piece) * 1000L + Integer.parseInt(begin)).nextBytes(block);
        return block;
    }

    /** 64 blocks both ways through RC4 arrive whole and in order: the two key streams stay in step. */
    private void blocksArrive(PeerConnection c) throws Exception {
        c.batch(() -> {
            for (int i = 0; i < 64; i++) {
                c.request(i % 4, (i / 4) * 16384, 16384);
            }
        });
        for (int i = 0; i < 64; i++) {
            String piece = String.valueOf(i % 4);
            String begin = String.valueOf((i / 4) * 16384);
            assertEquals("piece " + piece + " " + begin + " " + HexFormat.of().formatHex(block(piece, begin)),
                    leeching.next(), "block " + i);
        }
    }

    /** A dialler offering only RC4 (forced) gets it from a peer that prefers plaintext. */
    @Test
    void anEncryptedDialCarriesBlocksUnderRc4() throws Exception {
        leecher.encryption(MsePolicy.FORCED);
        PeerConnection c = dial();
        assertTrue(c.encrypted(), "the dialler's side is RC4");
        assertTrue(c.utp(), "and says it is uTP, for the RPC's isUTP");
        assertTrue(seeding.connection().encrypted(), "the accepting side told MSE from plaintext and took RC4");
        blocksArrive(c);
    }

    /** Both offering RC4 and plaintext: the accepting side's preference decides. */
    @Test
    void anEncryptedHandshakeMaySelectPlaintext() throws Exception {
        leecher.encryption(MsePolicy.PREFER_ENCRYPTED);
        PeerConnection c = dial();
        assertFalse(c.encrypted(), "the seeder prefers plaintext and selected it");
        blocksArrive(c);
    }

    @Test
    void aPlaintextDialIsStillAcceptedByDefault() throws Exception {
        PeerConnection c = dial();
        assertFalse(c.encrypted());
        assertFalse(seeding.connection().encrypted(), "a plaintext handshake is passed on as it came");
        blocksArrive(c);
    }

    /** libtorrent's pe_forced: a plaintext handshake is closed, and the dialler tries MSE next. */
    @Test
    void aPeerForcingEncryptionIsReachedByRetryingEncrypted() throws Exception {
        seeder.encryption(MsePolicy.FORCED);
        PeerConnection c = dial();
        assertTrue(c.encrypted(), "the second attempt ran MSE");
        assertTrue(seeding.connection().encrypted());
        blocksArrive(c);
    }

    @Test
    void aPeerWithoutMseIsReachedByRetryingPlaintext() throws Exception {
        seeder.encryption(MsePolicy.DISABLED);
        leecher.encryption(MsePolicy.PREFER_ENCRYPTED);
        PeerConnection c = dial();
        assertFalse(c.encrypted(), "the second attempt was plaintext");
        blocksArrive(c);
    }

    @Test
    void forcedRefusesPlaintextAndDisabledRefusesMseWithoutRetrying() throws Exception {
        seeder.encryption(MsePolicy.FORCED);
        leecher.encryption(MsePolicy.DISABLED);
        ExecutionException plaintext = assertThrows(ExecutionException.class, this::dial);
        assertTrue(plaintext.getCause().getMessage() != null, "a reason: " + plaintext.getCause());

        seeder.encryption(MsePolicy.DISABLED);
        leecher.encryption(MsePolicy.FORCED);
        ExecutionException encrypted = assertThrows(ExecutionException.class, this::dial);
        assertTrue(encrypted.getCause().getMessage().contains("MSE"),
                "the dialler says where its handshake stopped: " + encrypted.getCause().getMessage());
        assertEquals(0, seeding.connections.size(), "no connection reached the torrent");
    }
}
