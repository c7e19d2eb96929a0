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
    /** 4 KiB: two per encrypted connection. */
    private final byte[] scratch = new byte[4096];

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
        // A direct buffer (every socket buffer) goes through one reused array: the JDK's
        // ByteBuffer path makes the same two copies but allocates its arrays on every call
        // (20 KiB per 16 KiB block in MseBenchmark.rc4DirectBlock).
        int at = buf.position();
        int end = buf.limit();
        while (at < end) {
            int n = Math.min(scratch.length, end - at);
            buf.get(at, scratch, 0, n);
            apply(scratch, 0, n);
            buf.put(at, scratch, 0, n);
            at += n;
        }
    }
}
