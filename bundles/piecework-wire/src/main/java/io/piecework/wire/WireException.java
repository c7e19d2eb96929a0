package io.piecework.wire;

/** A protocol violation by the remote peer; the reason names the rule that was broken. */
public final class WireException extends Exception {
    private static final long serialVersionUID = 1L;

    public WireException(String reason) {
        super(reason);
    }

    public WireException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
