package io.piecework.wire.mse;

import io.piecework.wire.WireException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import javax.crypto.interfaces.DHPublicKey;
import javax.crypto.spec.DHParameterSpec;
import javax.crypto.spec.DHPrivateKeySpec;
import javax.crypto.spec.DHPublicKeySpec;

/**
 * One side's Diffie-Hellman key pair over MSE's 768-bit prime (generator 2, 160-bit private
 * exponent), on the JDK's "DH" provider; keys go on the wire as 96 big-endian bytes.
 */
public final class DhKeys {
    public static final int LENGTH = 96;
    static final BigInteger P = new BigInteger("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
            + "29024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B"
            + "302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A63A3621"
            + "0000000000090563", 16);
    static final BigInteger G = BigInteger.TWO;
    private static final DHParameterSpec GROUP = new DHParameterSpec(P, G, 160);

    private final KeyPair pair;
    private final byte[] publicKey;

    private DhKeys(KeyPair pair) {
        this.pair = pair;
        this.publicKey = unsigned(((DHPublicKey) pair.getPublic()).getY());
    }

    public static DhKeys generate(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("DH");
            g.initialize(GROUP, random);
            return new DhKeys(g.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make 768-bit DH keys", e);
        }
    }

    /** A fixed key pair, for byte vectors: the public key is G^x mod P. */
    public static DhKeys of(BigInteger x) {
        try {
            KeyFactory f = KeyFactory.getInstance("DH");
            return new DhKeys(new KeyPair(f.generatePublic(new DHPublicKeySpec(G.modPow(x, P), P, G)),
                    f.generatePrivate(new DHPrivateKeySpec(x, P, G))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Our public key, 96 bytes. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The shared secret S, 96 bytes, from the peer's 96-byte public key. */
    byte[] agree(byte[] theirs) throws WireException {
        try {
            KeyAgreement k = KeyAgreement.getInstance("DH");
            k.init(pair.getPrivate());
            k.doPhase(KeyFactory.getInstance("DH").generatePublic(
                    new DHPublicKeySpec(new BigInteger(1, theirs), P, G)), true);
            byte[] secret = k.generateSecret();
            return secret.length == LENGTH ? secret : unsigned(new BigInteger(1, secret));
        } catch (InvalidKeySpecException | java.security.InvalidKeyException e) {
            throw new WireException("MSE: the peer's Diffie-Hellman key is invalid: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha1(String label, byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-1");
            d.update(MseHandshake.ascii(label));
            for (byte[] p : parts) {
                d.update(p);
            }
            return d.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code n} as exactly 96 big-endian bytes. */
    private static byte[] unsigned(BigInteger n) {
        byte[] b = n.toByteArray();
        if (b.length == LENGTH) {
            return b;
        }
        byte[] r = new byte[LENGTH];
        int copy = Math.min(b.length, LENGTH);
        System.arraycopy(b, b.length - copy, r, LENGTH - copy, copy);
        return r;
    }

    @Override
    public String toString() {
        return "DhKeys[" + Arrays.toString(Arrays.copyOf(publicKey, 4)) + "...]";
    }
}
