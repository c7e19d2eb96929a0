package io.piecework.wire.mse;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * One direction of an MSE stream: the JDK's RC4 ("ARCFOUR", SunJCE) keyed with
 * HASH('keyA'|'keyB', S, SKEY), its first 1024 bytes of keystream dropped as the spec asks.
 * Not thread-safe: one per direction of one connection.
 */
public final class Rc4 {
    private static final int DROP = 1024;
    private final Cipher cipher;

    public Rc4(byte[] key) {
        try {
            cipher = Cipher.getInstance("ARCFOUR");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ARCFOUR"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no ARCFOUR cipher", e);
        }
        cipher.update(new byte[DROP]);
    }

    /** En- or decrypts {@code len} bytes of {@code bytes} in place (RC4 is its own inverse). */
    public void apply(byte[] bytes, int off, int len) {
        try {
            cipher.update(bytes, off, len, bytes, off);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** En- or decrypts the remaining bytes of {@code buf} in place; its position does not move. */
    public void apply(ByteBuffer buf) {
        if (buf.hasArray()) {
            apply(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
            return;
        }
        try {
            cipher.update(buf.duplicate(), buf.duplicate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
