package io.piecework.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piecework.dht.KrpcMessage;
import org.junit.jupiter.api.Test;

/** A node's KRPC error text comes from a stranger: wherever it is shown or logged it is escaped. */
class RemoteErrorTextTest {
    @Test
    void theRemoteMessageIsEscaped() {
        Node.RemoteError e = new Node.RemoteError(new KrpcMessage.Error(new byte[] {1}, 201, "x\u001b[2J\u202e\u0085"));
        assertEquals("201 x\\u001b[2J\\u202e\\u0085", e.getMessage());
    }
}
