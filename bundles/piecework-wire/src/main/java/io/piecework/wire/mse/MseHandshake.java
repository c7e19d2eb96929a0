package io.piecework.wire.mse;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.WireException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;

/**
 * The MSE handshake, sans IO: bytes in ({@link #feed}), bytes out. The initiator A and the
 * responder B exchange
 * <pre>
 * 1 A→B  Ya, PadA
 * 2 B→A  Yb, PadB
 * 3 A→B  HASH('req1', S), HASH('req2', SKEY) xor HASH('req3', S),
 *        ENCRYPT(VC, crypto_provide, len(PadC), PadC, len(IA)), ENCRYPT(IA)
 * 4 B→A  ENCRYPT(VC, crypto_select, len(PadD), PadD)
 * </pre>
 * and then the payload stream, RC4 or plaintext as selected. Every pad is at most 512 bytes,
 * so B finds HASH('req1', S) within 512 + 20 bytes after Ya and A finds ENCRYPT(VC) within
 * 512 + 8 bytes after Yb; anything longer, a wrong VC, an unknown SKEY, a pad over 512 or no
 * common method is a {@link WireException}. Memory is bounded by the largest step: len(IA)
 * (at most 65 535 bytes by its two-byte length).
 *
 * <p>{@link #feed} consumes exactly the handshake's bytes: what is left in the buffer once
 * {@link #done()} is the payload stream, still to be decrypted by {@link #decryptor()} when RC4
 * was selected.
 */
public final class MseHandshake {
    public static final int CRYPTO_PLAINTEXT = 0x01;
    public static final int CRYPTO_RC4 = 0x02;
    public static final int MAX_PAD = 512;
    private static final int HASH = 20;
    private static final byte[] VC = new byte[8];

    private enum Step { KEY, SYNC, SKEY, PROVIDE, PAD_C, IA, SELECT, PAD_D, DONE }

    private final boolean initiator;
    private final DhKeys keys;
    private final Random random;
    private final InfoHash skeyOut;
    private final Function<byte[], InfoHash> skeys;
    private final MsePolicy policy;
    private final byte[] initialPayloadOut;

    private Step step = Step.KEY;
    private byte[] buf = new byte[DhKeys.LENGTH];
    private int filled;
    private byte[] secret;
    private byte[] marker;
    private byte[] window;
    private int windowed;
    private InfoHash infoHash;
    private Rc4 encryptor;
    private Rc4 decryptor;
    private int provided;
    private int selected;
    private byte[] initialPayload = new byte[0];

    private MseHandshake(boolean initiator, DhKeys keys, Random random, InfoHash skeyOut,
                         Function<byte[], InfoHash> skeys, MsePolicy policy, byte[] initialPayloadOut) {
        this.initiator = initiator;
        this.keys = keys;
        this.random = random;
        this.skeyOut = skeyOut;
        this.skeys = skeys;
        this.policy = policy;
        this.initialPayloadOut = initialPayloadOut;
    }

    /**
     * The connecting side, for the torrent {@code skey}; {@code initialPayload} (IA, usually
     * empty) goes out encrypted with step 3.
     */
    public static MseHandshake initiator(DhKeys keys, Random random, InfoHash skey, MsePolicy policy,
                                         byte[] initialPayload) {
        if (initialPayload.length > 0xffff) {
            throw new IllegalArgumentException("initial payload over 65535 bytes");
        }
        return new MseHandshake(true, keys, random, skey, null, policy, initialPayload);
    }

    /**
     * The accepting side; {@code skeys} maps HASH('req2', SKEY) to a registered torrent, or null
     * for none (see {@link #req2(InfoHash)}).
     */
    public static MseHandshake responder(DhKeys keys, Random random, Function<byte[], InfoHash> skeys,
                                         MsePolicy policy) {
        return new MseHandshake(false, keys, random, null, skeys, policy, null);
    }

    /** HASH('req2', SKEY): how a responder recognises the torrent an initiator asks for. */
    public static byte[] req2(InfoHash infoHash) {
        return DhKeys.sha1("req2", infoHash.bytes());
    }

    /** The initiator's first bytes (Ya, PadA); nothing for the responder, which speaks second. */
    public byte[] start() {
        return initiator ? concat(keys.publicKey(), pad()) : new byte[0];
    }

    /**
     * Takes handshake bytes from {@code in} (no more than the handshake holds) and returns what
     * to send in reply, possibly nothing.
     */
    public byte[] feed(ByteBuffer in) throws WireException {
        byte[] out = new byte[0];
        while (step != Step.DONE && in.hasRemaining()) {
            if (step == Step.SYNC) {
                if (sync(in.get())) {
                    out = concat(out, synced());
                }
                continue;
            }
            int n = Math.min(buf.length - filled, in.remaining());
            in.get(buf, filled, n);
            filled += n;
            if (filled == buf.length) {
                out = concat(out, stepDone());
            }
        }
        return out;
    }

    /** The peer closed the stream: unless the handshake is done, says where it stopped. */
    public void ended() throws WireException {
        if (step != Step.DONE) {
            throw new WireException("MSE: the stream ended in the handshake's " + step + " step");
        }
    }

    public boolean done() {
        return step == Step.DONE;
    }

    /** {@link #CRYPTO_RC4} or {@link #CRYPTO_PLAINTEXT} once done. */
    public int selected() {
        return selected;
    }

    /** The torrent the stream is for: the initiator's SKEY, or the one the responder found. */
    public InfoHash infoHash() {
        return initiator ? skeyOut : infoHash;
    }

    /** The initiator's IA as the responder decrypted it (empty for the initiator). */
    public byte[] initialPayload() {
        return initialPayload;
    }

    /** Encrypts what we send after the handshake; use only when RC4 was selected. */
    public Rc4 encryptor() {
        return encryptor;
    }

    /** Decrypts what the peer sends after the handshake; use only when RC4 was selected. */
    public Rc4 decryptor() {
        return decryptor;
    }

    private void expect(Step next, int length) {
        step = next;
        buf = new byte[length];
        filled = 0;
    }

    private byte[] stepDone() throws WireException {
        switch (step) {
            case KEY -> {
                secret = keys.agree(buf);
                step = Step.SYNC;
                windowed = 0;
                if (initiator) {
                    keyStreams(skeyOut);
                    marker = VC.clone();
                    decryptor.apply(marker, 0, marker.length); // ENCRYPT(VC) under B's key
                    window = new byte[MAX_PAD + marker.length];
                    return stepThree();
                }
                marker = DhKeys.sha1("req1", secret);
                window = new byte[MAX_PAD + marker.length];
                return concat(keys.publicKey(), pad());
            }
            case SKEY -> {
                byte[] req3 = DhKeys.sha1("req3", secret);
                for (int i = 0; i < HASH; i++) {
                    buf[i] ^= req3[i];
                }
                infoHash = skeys.apply(buf);
                if (infoHash == null) {
                    throw new WireException("MSE: the stream asks for no torrent of ours (unknown SKEY)");
                }
                keyStreams(infoHash);
                expect(Step.PROVIDE, VC.length + 4 + 2);
            }
            case PROVIDE -> {
                decryptor.apply(buf, 0, buf.length);
                if (!Arrays.equals(buf, 0, VC.length, VC, 0, VC.length)) {
                    throw new WireException("MSE: VC is not zero after the SKEY hash");
                }
                ByteBuffer b = ByteBuffer.wrap(buf, VC.length, 6);
                provided = b.getInt();
                expect(Step.PAD_C, padLength(b.getShort() & 0xffff, "PadC") + 2);
            }
            case PAD_C -> {
                decryptor.apply(buf, 0, buf.length);
                int ia = ((buf[buf.length - 2] & 0xff) << 8) | (buf[buf.length - 1] & 0xff);
                expect(Step.IA, ia);
                if (ia == 0) {
                    return selectReply();
                }
            }
            case IA -> {
                decryptor.apply(buf, 0, buf.length);
                initialPayload = buf;
                return selectReply();
            }
            case SELECT -> {
                decryptor.apply(buf, 0, buf.length);
                ByteBuffer b = ByteBuffer.wrap(buf);
                selected = b.getInt();
                if (Integer.bitCount(selected) != 1 || (selected & policy.provide()) == 0) {
                    throw new WireException("MSE: the peer selected crypto " + selected + ", we provided "
                            + policy.provide());
                }
                int padD = padLength(b.getShort() & 0xffff, "PadD");
                expect(Step.PAD_D, padD);
                if (padD == 0) {
                    step = Step.DONE;
                }
            }
            case PAD_D -> {
                decryptor.apply(buf, 0, buf.length);
                step = Step.DONE;
            }
            default -> throw new IllegalStateException(step.toString());
        }
        return new byte[0];
    }

    /** Slides one byte into the sync window; true once it ends with the marker. */
    private boolean sync(byte b) throws WireException {
        if (windowed == window.length) {
            throw new WireException(initiator
                    ? "MSE: no ENCRYPT(VC) within " + (MAX_PAD + VC.length) + " bytes after the peer's key"
                    : "MSE: no HASH('req1', S) within " + (MAX_PAD + HASH) + " bytes after the peer's key");
        }
        window[windowed++] = b;
        int m = marker.length;
        return windowed >= m && Arrays.equals(window, windowed - m, windowed, marker, 0, m);
    }

    private byte[] synced() {
        window = null;
        if (initiator) {
            expect(Step.SELECT, 4 + 2);
        } else {
            expect(Step.SKEY, HASH);
        }
        return new byte[0];
    }

    private void keyStreams(InfoHash skey) {
        Rc4 a = new Rc4(DhKeys.sha1("keyA", secret, skey.bytes()));
        Rc4 b = new Rc4(DhKeys.sha1("keyB", secret, skey.bytes()));
        encryptor = initiator ? a : b;
        decryptor = initiator ? b : a;
    }

    private byte[] stepThree() {
        byte[] req1 = DhKeys.sha1("req1", secret);
        byte[] req2 = req2(skeyOut);
        byte[] req3 = DhKeys.sha1("req3", secret);
        for (int i = 0; i < HASH; i++) {
            req2[i] ^= req3[i];
        }
        byte[] padC = pad();
        ByteBuffer tail = ByteBuffer.allocate(VC.length + 4 + 2 + padC.length + 2 + initialPayloadOut.length);
        tail.put(VC).putInt(policy.provide()).putShort((short) padC.length).put(padC)
                .putShort((short) initialPayloadOut.length).put(initialPayloadOut);
        encryptor.apply(tail.array(), 0, tail.capacity());
        return concat(concat(req1, req2), tail.array());
    }

    private byte[] selectReply() throws WireException {
        selected = policy.select(provided);
        if (selected == 0) {
            throw new WireException("MSE: no common crypto method: the peer provides " + provided);
        }
        byte[] padD = pad();
        ByteBuffer reply = ByteBuffer.allocate(VC.length + 4 + 2 + padD.length);
        reply.put(VC).putInt(selected).putShort((short) padD.length).put(padD);
        encryptor.apply(reply.array(), 0, reply.capacity());
        step = Step.DONE;
        return reply.array();
    }

    private static int padLength(int length, String name) throws WireException {
        if (length > MAX_PAD) {
            throw new WireException("MSE: len(" + name + ") " + length + " is over " + MAX_PAD);
        }
        return length;
    }

    /** Random padding of random length, up to {@link #MAX_PAD}. */
    private byte[] pad() {
        byte[] pad = new byte[random.nextInt(MAX_PAD + 1)];
        random.nextBytes(pad);
        return pad;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (a.length == 0) {
            return b;
        }
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
