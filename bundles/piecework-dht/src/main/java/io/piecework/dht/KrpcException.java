package io.piecework.dht;

/**
 * A KRPC packet that breaks the protocol. {@link #transaction()} is set when the packet was a
 * query whose transaction id could be read, so the node may answer with error 203.
 */
public final class KrpcException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient byte[] transaction;

    public KrpcException(String message, byte[] transaction) {
        super(message, null, false, false);
        this.transaction = transaction;
    }

    /** The query's transaction id, or null when the packet was not a readable query. */
    public byte[] transaction() {
        return transaction == null ? null : transaction.clone();
    }
}
