package io.piecework.rpc.transmission.internal;

/** A request the RPC answers with an error {@code result}: the message is what the client shows. */
final class RpcException extends Exception {
    RpcException(String message) {
        super(message);
    }
}
