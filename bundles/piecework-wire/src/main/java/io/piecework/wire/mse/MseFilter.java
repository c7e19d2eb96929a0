package io.piecework.wire.mse;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.WireException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Message stream encryption in front of one byte stream, sans IO, for a transport that has no
 * pipeline to put {@link MseHandshake} in (uTP): the peer's bytes go in through {@link #receive},
 * the payload stream comes out decrypted, and what we send goes through {@link #encrypt} once
 * {@link #ready()}. Outgoing, it runs the handshake as initiator; incoming, it tells a plaintext
 * BitTorrent handshake from an MSE one by the first bytes ({@link #opening}, which the TCP
 * transport's handler uses too) and refuses what the policy does not accept.
 */
public final class MseFilter {
    /** What a plaintext stream starts with: 19 and "BitTorrent protocol". */
    private static final byte[] PROTOCOL = "\u0013BitTorrent protocol".getBytes(StandardCharsets.ISO_8859_1);
    /** Bytes that tell a plaintext opening from an MSE one. */
    public static final int OPENING_LENGTH = PROTOCOL.length;
    private static final byte[] NOTHING = new byte[0];

    /** What the first bytes of an incoming stream are. */
    public enum Opening { UNDECIDED, PLAINTEXT, ENCRYPTED }

    private final MsePolicy policy;
    private final SecureRandom random;
    private final Function<byte[], InfoHash> skeys;
    private ByteBuffer first; // incoming, until plaintext and MSE are told apart
    private MseHandshake handshake;
    private Rc4 encryptor;
    private Rc4 decryptor;
    private volatile boolean ready; // read by writers on any thread

    private MseFilter(MsePolicy policy, SecureRandom random, Function<byte[], InfoHash> skeys,
                      MseHandshake handshake) {
        this.policy = policy;
        this.random = random;
        this.skeys = skeys;
        this.handshake = handshake;
        this.first = handshake == null ? ByteBuffer.allocate(OPENING_LENGTH) : null;
    }

    /** An outgoing stream for {@code infoHash} that starts with the MSE handshake. */
    public static MseFilter outgoing(MsePolicy policy, InfoHash infoHash, SecureRandom random) {
        return new MseFilter(policy, random, null,
                MseHandshake.initiator(DhKeys.generate(random), random, infoHash, policy, NOTHING));
    }

    /**
     * An incoming stream, plaintext or MSE as its first bytes show; {@code skeys} maps
     * HASH('req2', SKEY) to a registered torrent, or null for none.
     */
    public static MseFilter incoming(MsePolicy policy, Function<byte[], InfoHash> skeys, SecureRandom random) {
        return new MseFilter(policy, random, skeys, null);
    }

    /**
     * Tells what the remaining bytes of {@code seen} (the stream's first, up to
     * {@link #OPENING_LENGTH}) open: a plaintext handshake, MSE, or not known yet; an opening
     * the policy refuses is a {@link WireException}.
     */
    public static Opening opening(MsePolicy policy, ByteBuffer seen) throws WireException {
        int n = Math.min(seen.remaining(), OPENING_LENGTH);
        boolean plaintext = true;
        for (int i = 0; i < n && plaintext; i++) {
            plaintext = seen.get(seen.position() + i) == PROTOCOL[i];
        }
        if (plaintext && n < OPENING_LENGTH) {
            return Opening.UNDECIDED;
        }
        if (plaintext && !policy.acceptsPlaintext()) {
            throw new WireException("plaintext handshake refused: encryption is forced");
        }
        if (!plaintext && !policy.acceptsEncrypted()) {
            throw new WireException("encrypted handshake refused: encryption is disabled");
        }
        return plaintext ? Opening.PLAINTEXT : Opening.ENCRYPTED;
    }

    /** What to send first: the initiator's key and pad; nothing for an incoming stream. */
    public byte[] start() {
        return first == null && handshake != null ? handshake.start() : NOTHING;
    }

    /**
     * Takes the peer's bytes: handshake bytes are consumed and answered through {@code reply}
     * (bytes to send as they are, before anything else), payload bytes are handed to
     * {@code payload} (decrypted; valid during the call only), always after the reply they
     * follow, so that what the payload's reader sends comes after the handshake.
     */
    public void receive(ByteBuffer in, Consumer<byte[]> reply, Consumer<ByteBuffer> payload) throws WireException {
        if (ready) {
            deliver(in, payload);
            return;
        }
        if (handshake == null) {
            int take = Math.min(first.remaining(), in.remaining());
            first.put(in.slice(in.position(), take));
            in.position(in.position() + take);
            ByteBuffer seen = first.duplicate().flip();
            Opening opening = opening(policy, seen);
            if (opening == Opening.UNDECIDED) {
                return;
            }
            first = null;
            if (opening == Opening.PLAINTEXT) {
                ready = true;
                payload.accept(seen);
                deliver(in, payload);
                return;
            }
            handshake = MseHandshake.responder(DhKeys.generate(random), random, skeys, policy);
            handshake.feed(seen); // 20 bytes of Ya (96): nothing to answer yet
        }
        byte[] answer = handshake.feed(in);
        if (answer.length > 0) {
            reply.accept(answer);
        }
        if (handshake.done()) {
            ready = true;
            if (handshake.selected() == MseHandshake.CRYPTO_RC4) {
                encryptor = handshake.encryptor();
                decryptor = handshake.decryptor();
            }
            byte[] ia = handshake.initialPayload();
            handshake = null;
            if (ia.length > 0) {
                payload.accept(ByteBuffer.wrap(ia));
            }
            deliver(in, payload);
        }
    }

    /** Whether the payload stream has begun: the handshake is done, or plaintext arrived. */
    public boolean ready() {
        return ready;
    }

    /** Whether the payload stream is RC4 (known once {@link #ready()}). */
    public boolean encrypted() {
        return encryptor != null;
    }

    /** Encrypts the remaining bytes of {@code out} in place when RC4 was selected. */
    public void encrypt(ByteBuffer out) {
        if (!ready) {
            throw new IllegalStateException("MSE handshake not done");
        }
        if (encryptor != null) {
            encryptor.apply(out);
        }
    }

    /** The peer closed the stream: unless the payload stream began, says where it stopped. */
    public void ended() throws WireException {
        if (!ready) {
            if (handshake == null) {
                throw new WireException("the stream ended within its first " + OPENING_LENGTH + " bytes");
            }
            handshake.ended();
        }
    }

    /** Payload bytes to the consumer; decrypted into a copy (a transport's buffer may be read-only). */
    private void deliver(ByteBuffer in, Consumer<ByteBuffer> payload) {
        if (!in.hasRemaining()) {
            return;
        }
        if (decryptor == null) {
            payload.accept(in);
            return;
        }
        byte[] plain = new byte[in.remaining()];
        in.get(plain);
        decryptor.apply(plain, 0, plain.length);
        payload.accept(ByteBuffer.wrap(plain));
    }
}
