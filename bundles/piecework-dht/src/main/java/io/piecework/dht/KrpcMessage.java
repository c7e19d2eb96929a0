package io.piecework.dht;

import java.net.InetSocketAddress;
import java.util.List;

/** A decoded KRPC message (BEP 5); byte arrays are the caller's to keep. */
public sealed interface KrpcMessage {
    /** The transaction id, echoed by the response. */
    byte[] transaction();

    /**
     * A query. {@code target} is find_node's target or get_peers/announce_peer's info_hash;
     * {@code token} and {@code port} are announce_peer's (port 0 with {@code impliedPort});
     * {@code readOnly} is BEP 43's {@code ro}: the sender must not enter routing tables.
     */
    record Query(byte[] transaction, String method, NodeId id, NodeId target, byte[] token, int port,
                 boolean impliedPort, boolean readOnly) implements KrpcMessage {
    }

    /** A response: {@code nodes} and {@code values} may be empty, {@code token} null. */
    record Response(byte[] transaction, NodeId id, List<NodeInfo> nodes, List<InetSocketAddress> values,
                    byte[] token) implements KrpcMessage {
    }

    record Error(byte[] transaction, long code, String message) implements KrpcMessage {
    }
}
