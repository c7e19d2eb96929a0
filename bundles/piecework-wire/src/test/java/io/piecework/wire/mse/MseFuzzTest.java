package io.piecework.wire.mse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.WireException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of what a peer can send into the MSE handshake (docs/fuzzing.md).
 * Without JAZZER_FUZZ this replays MseFuzzTestInputs/ as ordinary tests.
 *
 * <p>Byte 0 picks the target: 0 the responder fed raw bytes, 1 the initiator fed raw bytes
 * after its Ya; 2 the responder after a genuine Ya, req1 and SKEY hash, with the rest taken as
 * the plaintext of ENCRYPT(VC, crypto_provide, len(PadC), PadC, len(IA), IA) and encrypted
 * under the real key, so the fuzzer reaches the fields behind the cipher; 3 the same for the
 * initiator's ENCRYPT(VC, crypto_select, len(PadD), PadD). Byte 1 picks our policy. Contract:
 * the handshake finishes or throws {@link WireException}, nothing else, and never reads more
 * than its bounds allow.
 */
class MseFuzzTest {
    private static final DhKeys A = DhKeys.of(new BigInteger("1234567890abcdef1234567890abcdef12345678", 16));
    private static final DhKeys B = DhKeys.of(new BigInteger("fedcba0987654321fedcba0987654321fedcba09", 16));
    private static final InfoHash SKEY = InfoHash.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
            17, 18, 19, 20});
    private static final byte[] REQ2 = MseHandshake.req2(SKEY);
    private static final Function<byte[], InfoHash> LOOKUP = r -> Arrays.equals(r, REQ2) ? SKEY : null;
    /** Ya or Yb, the largest pad and sync marker, a step's fixed fields and padding, and IA. */
    private static final int MOST_READ = 96 + 512 + 20 + 20 + 16 + 512 + 0xffff;

    @FuzzTest(maxDuration = "10m")
    void peerSends(byte[] input) {
        if (input.length < 2) {
            return;
        }
        MsePolicy policy = MsePolicy.values()[(input[1] & 0xff) % MsePolicy.values().length];
        byte[] rest = Arrays.copyOfRange(input, 2, input.length);
        try {
            switch (input[0] & 3) {
                case 0 -> raw(MseHandshake.responder(B, noPads(), LOOKUP, policy), rest);
                case 1 -> {
                    MseHandshake a = MseHandshake.initiator(A, noPads(), SKEY, policy, new byte[0]);
                    a.start();
                    raw(a, rest);
                }
                case 2 -> behindTheResponderCipher(policy, rest);
                default -> behindTheInitiatorCipher(policy, rest);
            }
        } catch (WireException expected) {
            assertTrue(expected.getMessage().startsWith("MSE: "), expected.getMessage());
        }
    }

    private static void raw(MseHandshake h, byte[] bytes) throws WireException {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        h.feed(in);
        assertTrue(in.position() <= MOST_READ, "read " + in.position());
    }

    /** A genuine initiator up to the SKEY hash, then the fuzzer's plaintext under keyA. */
    private static MseHandshake behindTheResponderCipher(MsePolicy policy, byte[] plaintext) throws WireException {
        MseHandshake a = MseHandshake.initiator(A, noPads(), SKEY, MsePolicy.PREFER_ENCRYPTED, new byte[0]);
        MseHandshake b = MseHandshake.responder(B, noPads(), LOOKUP, policy);
        byte[] yb = b.feed(ByteBuffer.wrap(a.start()));
        byte[] step3 = a.feed(ByteBuffer.wrap(yb));
        // step 3 is req1, req2^req3 and 16 encrypted bytes: VC, provide 3, len(PadC) 0, len(IA) 0
        byte[] known = ByteBuffer.allocate(16).put(new byte[8]).putInt(3).putShort((short) 0).putShort((short) 0).array();
        b.feed(ByteBuffer.wrap(step3, 0, 40));
        raw(b, encrypt(plaintext, Arrays.copyOfRange(step3, 40, 56), known, a.encryptor()));
        return b;
    }

    /** A genuine responder up to its answer, then the fuzzer's plaintext under keyB. */
    private static MseHandshake behindTheInitiatorCipher(MsePolicy policy, byte[] plaintext) throws WireException {
        MseHandshake a = MseHandshake.initiator(A, noPads(), SKEY, policy, new byte[0]);
        MseHandshake b = MseHandshake.responder(B, noPads(), LOOKUP, MsePolicy.PREFER_ENCRYPTED);
        byte[] step3 = a.feed(ByteBuffer.wrap(b.feed(ByteBuffer.wrap(a.start()))));
        byte[] step4 = b.feed(ByteBuffer.wrap(step3)); // VC, select, len(PadD) 0: 14 bytes
        int select = b.selected();
        byte[] known = ByteBuffer.allocate(14).put(new byte[8]).putInt(select).putShort((short) 0).array();
        raw(a, encrypt(plaintext, step4, known, b.encryptor()));
        return a;
    }

    /** The valid seeds must get through, or the fuzzer starts behind a refusal. */
    @Test
    void validSeedsFinishTheHandshake() throws Exception {
        byte[] provide = seed("responder-valid-provide");
        MseHandshake b = behindTheResponderCipher(MsePolicy.values()[provide[1]], Arrays.copyOfRange(provide, 2, provide.length));
        assertTrue(b.done());
        assertEquals("\u0013BitTorrent protocol", new String(b.initialPayload(), StandardCharsets.ISO_8859_1));
        byte[] select = seed("initiator-valid-select");
        assertTrue(behindTheInitiatorCipher(MsePolicy.values()[select[1]], Arrays.copyOfRange(select, 2, select.length)).done());
    }

    private static byte[] seed(String name) throws IOException {
        try (InputStream in = MseFuzzTest.class.getResourceAsStream("MseFuzzTestInputs/peerSends/" + name)) {
            return in.readAllBytes();
        }
    }

    /**
     * The fuzzer's plaintext as the peer's cipher would send it: the keystream already spent on
     * the genuine bytes is recovered as ciphertext xor their known plaintext; the rest comes from
     * the peer's encryptor, which continues after them.
     */
    private static byte[] encrypt(byte[] plaintext, byte[] cipherText, byte[] known, Rc4 next) {
        byte[] out = plaintext.clone();
        int spent = Math.min(out.length, known.length);
        for (int i = 0; i < spent; i++) {
            out[i] ^= (byte) (cipherText[i] ^ known[i]);
        }
        if (out.length > spent) {
            next.apply(out, spent, out.length - spent);
        }
        return out;
    }

    /** Pads of length 0, so the genuine steps have a known layout. */
    private static Random noPads() {
        return new Random(0) {
            @Override
            public int nextInt(int bound) {
                return 0;
            }
        };
    }
}
