package io.piecework.bencode;

/** Input that is not strict bencode, or that breaks a {@link BencodeLimits} bound. */
public final class BencodeException extends Exception {
    private static final long serialVersionUID = 1L;
    private final long offset;

    public BencodeException(long offset, String message) {
        super("at byte " + offset + ": " + message);
        this.offset = offset;
    }

    /** Offset of the offending byte from the start of the input. */
    public long offset() {
        return offset;
    }
}
