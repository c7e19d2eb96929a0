package io.piecework.wire.mse;

import java.util.Locale;

/**
 * Whether connections are encrypted (message stream encryption), for the whole session.
 * Outgoing connections try the preferred way first and, unless forced or disabled, the other
 * way once the first failed after connecting (as libtorrent does); incoming connections are
 * taken either way unless forced or disabled.
 */
public enum MsePolicy {
    /** Plaintext only: an encrypted handshake is refused. */
    DISABLED,
    /** Plaintext first; accepts MSE and answers it with plaintext when the peer offers both. */
    PREFER_PLAINTEXT,
    /** MSE first, offering RC4 and plaintext; answers with RC4 when the peer offers both. */
    PREFER_ENCRYPTED,
    /** RC4 only, both ways: a plaintext handshake is refused. */
    FORCED;

    /** The configuration value ("disabled", "prefer_plaintext", "prefer_encrypted", "forced"). */
    public static MsePolicy parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("encryption policy '" + value
                    + "' is none of disabled, prefer_plaintext, prefer_encrypted, forced", e);
        }
    }

    /** Whether the first outgoing attempt runs the MSE handshake. */
    public boolean encryptFirst() {
        return this == PREFER_ENCRYPTED || this == FORCED;
    }

    /** Whether a failed outgoing attempt is tried once more the other way. */
    public boolean retries() {
        return this == PREFER_PLAINTEXT || this == PREFER_ENCRYPTED;
    }

    public boolean acceptsPlaintext() {
        return this != FORCED;
    }

    public boolean acceptsEncrypted() {
        return this != DISABLED;
    }

    /** crypto_provide of an MSE handshake we start. */
    public int provide() {
        return this == FORCED ? MseHandshake.CRYPTO_RC4 : MseHandshake.CRYPTO_RC4 | MseHandshake.CRYPTO_PLAINTEXT;
    }

    /** crypto_select for what a peer provides, or 0 when nothing is acceptable. */
    public int select(int provided) {
        boolean rc4 = (provided & MseHandshake.CRYPTO_RC4) != 0;
        boolean plain = (provided & MseHandshake.CRYPTO_PLAINTEXT) != 0 && this != FORCED;
        if (rc4 && plain) {
            return this == PREFER_PLAINTEXT ? MseHandshake.CRYPTO_PLAINTEXT : MseHandshake.CRYPTO_RC4;
        }
        return rc4 ? MseHandshake.CRYPTO_RC4 : plain ? MseHandshake.CRYPTO_PLAINTEXT : 0;
    }
}
