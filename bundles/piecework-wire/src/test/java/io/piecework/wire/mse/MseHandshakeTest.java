package io.piecework.wire.mse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.WireException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The MSE handshake as byte vectors (computed independently by mse_vectors.py beside this
 * test's resources: Python integers, hashlib and the cryptography package's ARC4) and as two
 * state machines talking to each other, fed one byte at a time.
 */
class MseHandshakeTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final BigInteger XA = new BigInteger("1234567890abcdef1234567890abcdef12345678", 16);
    private static final BigInteger XB = new BigInteger("fedcba0987654321fedcba0987654321fedcba09", 16);
    private static final InfoHash SKEY = InfoHash.of(HEX.parseHex("0102030405060708090a0b0c0d0e0f1011121314"));
    private static final Function<byte[], InfoHash> ONE_TORRENT = lookup(SKEY);

    @Test
    void knownKeysGiveKnownHashesAndStreams() throws WireException {
        MseHandshake a = MseHandshake.initiator(DhKeys.of(XA), pads(0), SKEY, MsePolicy.PREFER_ENCRYPTED, new byte[0]);
        MseHandshake b = MseHandshake.responder(DhKeys.of(XB), pads(0), ONE_TORRENT, MsePolicy.PREFER_ENCRYPTED);
        byte[] ya = a.start();
        assertEquals("c44386497c31c0f76d76479d03a6f40c0cdac6c9a709f493da2c7aa8adb2cbfafe6b7833c0ded4ab5a310db1c2473066"
                + "f1d3ef0a9e89f1093e7902f72337396dab1d1276ab9e6d447b62e57de71ec5b528209d8fadff8cb9b0d393131aa4a722",
                HEX.formatHex(ya));
        byte[] yb = b.feed(ByteBuffer.wrap(ya));
        assertEquals("1264d66dda8e04907145f55a2e069e6fe7b6995abdf21a846f78a72ef3a047ac1893abacd6e08749eb3d313c35139324"
                + "00d16d22d3003be57dad041c40b07cf9ea5eb0cf1593ac89ba444f17fc66ee7e1d96b5d1fd2136f96b92d50bd174ad6f",
                HEX.formatHex(yb));
        byte[] step3 = a.feed(ByteBuffer.wrap(yb));
        // HASH('req1', S), HASH('req2', SKEY) xor HASH('req3', S), ENCRYPT(VC, provide 3, 0, 0)
        assertEquals("7f0dce3132c7e0200782c2a288c81c4a3522cdf5" + "c290f87659d89739358a4fa4bca5174059b6e4ac"
                + "15749995cf03c8b795314f69eaeaa8c9", HEX.formatHex(step3));
        byte[] step4 = b.feed(ByteBuffer.wrap(step3));
        assertEquals("d91ef34041f61d33afcb10e66931", HEX.formatHex(step4), "ENCRYPT(VC, select RC4, 0)");
        assertTrue(b.done());
        assertFalse(a.done());
        a.feed(ByteBuffer.wrap(step4));
        assertTrue(a.done());
        assertEquals(MseHandshake.CRYPTO_RC4, a.selected());
        assertEquals(SKEY, b.infoHash());

        assertEquals("cc1b60f0eab8f9740921c8febadd", HEX.formatHex(encrypt(a.encryptor(), "payload from A")));
        assertEquals("145ac27a471b87b2976bd7b48073", HEX.formatHex(encrypt(b.encryptor(), "payload from B")));
    }

    @ParameterizedTest(name = "pads of {0} bytes")
    @ValueSource(ints = {0, 1, 300, MseHandshake.MAX_PAD})
    void bothRolesAgreeByteByByteWithEveryPadLength(int pad) throws WireException {
        byte[] ia = "\u0013BitTorrent protocol".getBytes(StandardCharsets.ISO_8859_1);
        MseHandshake a = MseHandshake.initiator(DhKeys.generate(new SecureRandom()), pads(pad), SKEY,
                MsePolicy.FORCED, ia);
        MseHandshake b = MseHandshake.responder(DhKeys.generate(new SecureRandom()), pads(pad),
                lookup(InfoHash.of(new byte[20]), SKEY), MsePolicy.PREFER_ENCRYPTED);
        Pair p = run(a, b);
        assertTrue(a.done() && b.done());
        assertEquals(MseHandshake.CRYPTO_RC4, a.selected());
        assertEquals(MseHandshake.CRYPTO_RC4, b.selected());
        assertEquals(SKEY, b.infoHash());
        assertArrayEquals(ia, b.initialPayload());
        assertEquals(0, p.leftForA + p.leftForB, "the handshake consumes only its own bytes");
        byte[] sent = encrypt(a.encryptor(), "hello B");
        assertEquals("hello B", new String(encrypt(b.decryptor(), sent), StandardCharsets.US_ASCII));
        sent = encrypt(b.encryptor(), "hello A");
        assertEquals("hello A", new String(encrypt(a.decryptor(), sent), StandardCharsets.US_ASCII));
    }

    @Test
    void plaintextIsSelectedWhenBothOfferItAndTheResponderPrefersIt() throws WireException {
        MseHandshake a = MseHandshake.initiator(DhKeys.generate(new SecureRandom()), new Random(1), SKEY,
                MsePolicy.PREFER_ENCRYPTED, new byte[0]);
        MseHandshake b = MseHandshake.responder(DhKeys.generate(new SecureRandom()), new Random(2), ONE_TORRENT,
                MsePolicy.PREFER_PLAINTEXT);
        run(a, b);
        assertEquals(MseHandshake.CRYPTO_PLAINTEXT, a.selected());
        assertEquals(MseHandshake.CRYPTO_PLAINTEXT, b.selected());
    }

    @Test
    void payloadAfterTheHandshakeIsLeftInTheBuffer() throws WireException {
        MseHandshake a = MseHandshake.initiator(DhKeys.generate(new SecureRandom()), new Random(3), SKEY,
                MsePolicy.FORCED, new byte[0]);
        MseHandshake b = MseHandshake.responder(DhKeys.generate(new SecureRandom()), new Random(4), ONE_TORRENT,
                MsePolicy.FORCED);
        byte[] step3 = a.feed(ByteBuffer.wrap(b.feed(ByteBuffer.wrap(a.start()))));
        ByteBuffer step4AndPayload = ByteBuffer.wrap(concat(b.feed(ByteBuffer.wrap(step3)),
                encrypt(b.encryptor(), "payload")));
        a.feed(step4AndPayload);
        assertTrue(a.done());
        byte[] rest = new byte[step4AndPayload.remaining()];
        step4AndPayload.get(rest);
        assertEquals("payload", new String(encrypt(a.decryptor(), rest), StandardCharsets.US_ASCII));
    }

    @Test
    void aPadOverTheBoundIsRefusedByTheResponder() {
        MseHandshake a = MseHandshake.initiator(DhKeys.generate(new SecureRandom()), pads(MseHandshake.MAX_PAD + 1),
                SKEY, MsePolicy.FORCED, new byte[0]);
        MseHandshake b = MseHandshake.responder(DhKeys.generate(new SecureRandom()), pads(0), ONE_TORRENT,
                MsePolicy.FORCED);
        WireException e = assertThrows(WireException.class, () -> run(a, b));
        assertEquals("MSE: no HASH('req1', S) within 532 bytes after the peer's key", e.getMessage());
    }

    @Test
    void aPadOverTheBoundIsRefusedByTheInitiator() {
        MseHandshake a = MseHandshake.initiator(DhKeys.generate(new SecureRandom()), pads(0), SKEY,
                MsePolicy.FORCED, new byte[0]);
        MseHandshake b = MseHandshake.responder(DhKeys.generate(new SecureRandom()), pads(MseHandshake.MAX_PAD + 1),
                ONE_TORRENT, MsePolicy.FORCED);
        WireException e = assertThrows(WireException.class, () -> run(a, b));
        assertEquals("MSE: no ENCRYPT(VC) within 520 bytes after the peer's key", e.getMessage());
    }

    @Test
    void anUnknownTorrentIsRefused() {
        MseHandshake a = MseHandshake.initiator(DhKeys.generate(new SecureRandom()), new Random(5), SKEY,
                MsePolicy.FORCED, new byte[0]);
        MseHandshake b = MseHandshake.responder(DhKeys.generate(new SecureRandom()), new Random(6),
                lookup(InfoHash.of(new byte[20])), MsePolicy.FORCED);
        WireException e = assertThrows(WireException.class, () -> run(a, b));
        assertEquals("MSE: the stream asks for no torrent of ours (unknown SKEY)", e.getMessage());
    }

    @Test
    void aForcedResponderSelectsOnlyRc4() {
        assertEquals(0, MsePolicy.FORCED.select(MseHandshake.CRYPTO_PLAINTEXT));
        assertEquals(0, MsePolicy.FORCED.select(0));
        assertEquals(MseHandshake.CRYPTO_RC4, MsePolicy.FORCED.select(3));
        assertEquals(MseHandshake.CRYPTO_PLAINTEXT, MsePolicy.PREFER_PLAINTEXT.select(3));
        assertEquals(MseHandshake.CRYPTO_RC4, MsePolicy.PREFER_ENCRYPTED.select(3));
        assertEquals(MseHandshake.CRYPTO_RC4, MsePolicy.FORCED.provide());
    }

    @Test
    void garbageIsRefusedWithinTheBounds() {
        byte[] garbage = new byte[4096];
        new Random(9).nextBytes(garbage);
        MseHandshake b = MseHandshake.responder(DhKeys.generate(new SecureRandom()), new Random(10), ONE_TORRENT,
                MsePolicy.FORCED);
        ByteBuffer in = ByteBuffer.wrap(garbage);
        WireException e = assertThrows(WireException.class, () -> b.feed(in));
        assertTrue(e.getMessage().startsWith("MSE: "), e.getMessage());
        assertTrue(in.position() <= DhKeys.LENGTH + MseHandshake.MAX_PAD + 20 + 1, "read " + in.position());
    }

    @Test
    void aTruncatedHandshakeSaysWhereItStopped() throws WireException {
        MseHandshake a = MseHandshake.initiator(DhKeys.generate(new SecureRandom()), new Random(11), SKEY,
                MsePolicy.FORCED, new byte[0]);
        MseHandshake b = MseHandshake.responder(DhKeys.generate(new SecureRandom()), new Random(12), ONE_TORRENT,
                MsePolicy.FORCED);
        byte[] ya = a.start();
        b.feed(ByteBuffer.wrap(ya, 0, 50));
        assertFalse(b.done());
        WireException e = assertThrows(WireException.class, b::ended);
        assertEquals("MSE: the stream ended in the handshake's KEY step", e.getMessage());
    }

    @Test
    void anInvalidPublicKeyIsRefused() {
        MseHandshake b = MseHandshake.responder(DhKeys.generate(new SecureRandom()), new Random(13), ONE_TORRENT,
                MsePolicy.FORCED);
        byte[] one = new byte[DhKeys.LENGTH];
        one[DhKeys.LENGTH - 1] = 1; // Y = 1 would make S = 1
        WireException e = assertThrows(WireException.class, () -> b.feed(ByteBuffer.wrap(one)));
        assertTrue(e.getMessage().startsWith("MSE: the peer's Diffie-Hellman key is invalid"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(MsePolicy.class)
    void policiesParseFromTheirConfigurationNames(MsePolicy policy) {
        assertEquals(policy, MsePolicy.parse(policy.name().toLowerCase()));
    }

    private record Pair(int leftForA, int leftForB) {
    }

    /** Runs both sides to the end, delivering each side's output to the other one byte at a time. */
    private static Pair run(MseHandshake a, MseHandshake b) throws WireException {
        byte[] toB = a.start();
        byte[] toA = new byte[0];
        int leftForA = 0;
        int leftForB = 0;
        for (int round = 0; round < 10 && !(a.done() && b.done()); round++) {
            byte[] replyToA = new byte[0];
            for (int i = 0; i < toB.length; i++) {
                ByteBuffer one = ByteBuffer.wrap(toB, i, 1);
                replyToA = concat(replyToA, b.feed(one));
                leftForB += one.remaining();
            }
            toA = concat(toA, replyToA);
            byte[] replyToB = new byte[0];
            for (int i = 0; i < toA.length; i++) {
                ByteBuffer one = ByteBuffer.wrap(toA, i, 1);
                replyToB = concat(replyToB, a.feed(one));
                leftForA += one.remaining();
            }
            toA = new byte[0];
            toB = replyToB;
        }
        return new Pair(leftForA, leftForB);
    }

    /** Pads of exactly {@code length} bytes, whatever bound the caller asks under. */
    private static Random pads(int length) {
        return new Random(42) {
            @Override
            public int nextInt(int bound) {
                return length;
            }
        };
    }

    private static Function<byte[], InfoHash> lookup(InfoHash... torrents) {
        Map<String, InfoHash> byReq2 = new java.util.HashMap<>();
        for (InfoHash t : torrents) {
            byReq2.put(HEX.formatHex(MseHandshake.req2(t)), t);
        }
        return req2 -> byReq2.get(HEX.formatHex(req2));
    }

    private static byte[] encrypt(Rc4 rc4, String text) {
        return encrypt(rc4, text.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] encrypt(Rc4 rc4, byte[] bytes) {
        byte[] copy = bytes.clone();
        rc4.apply(ByteBuffer.wrap(copy));
        return copy;
    }

    private static byte[] concat(byte[] x, byte[] y) {
        byte[] r = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, r, x.length, y.length);
        return r;
    }
}
