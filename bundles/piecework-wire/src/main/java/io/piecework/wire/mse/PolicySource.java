package io.piecework.wire.mse;

/**
 * Where a transport takes the encryption policy of each new connection from: one set on it
 * ({@link #override}: tests, transports made without a framework), else the session's
 * {@link EncryptionSettings} while bound, else {@link MsePolicy#PREFER_PLAINTEXT}. Every
 * transport holds one, so TCP and uTP follow the same configuration.
 */
public final class PolicySource {
    private volatile EncryptionSettings settings;
    private volatile MsePolicy override;

    public void bind(EncryptionSettings bound) {
        settings = bound;
    }

    public void unbind(EncryptionSettings unbound) {
        if (settings == unbound) {
            settings = null;
        }
    }

    public void override(MsePolicy policy) {
        override = policy;
    }

    /** The policy for a connection starting now. */
    public MsePolicy current() {
        MsePolicy p = override;
        EncryptionSettings s = settings;
        return p != null ? p : s != null ? s.policy() : MsePolicy.PREFER_PLAINTEXT;
    }
}
