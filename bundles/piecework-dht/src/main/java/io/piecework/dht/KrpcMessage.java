package io.piecework.dht;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;

/** A decoded KRPC message (BEP 5, BEP 32); byte arrays are the caller's to keep. */
public sealed interface KrpcMessage {
    /** BEP 32 {@code want} flag: the reply should carry {@code nodes} (IPv4). */
    String WANT_N4 = "n4";
    /** BEP 32 {@code want} flag: the reply should carry {@code nodes6} (IPv6). */
    String WANT_N6 = "n6";

    /** The transaction id, echoed by the response. */
    byte[] transaction();

    /**
     * A query. {@code target} is find_node's target or get_peers/announce_peer's info_hash;
     * {@code token} and {@code port} are announce_peer's (port 0 with {@code impliedPort});
     * {@code readOnly} is BEP 43's {@code ro}: the sender must not enter routing tables;
     * {@code want} holds the known BEP 32 flags ({@link #WANT_N4}, {@link #WANT_N6}) of the
     * query's {@code want} list, empty when it had none (then the reply carries the nodes of
     * the family the query came over).
     */
    record Query(byte[] transaction, String method, NodeId id, NodeId target, byte[] token, int port,
                 boolean impliedPort, boolean readOnly, Set<String> want) implements KrpcMessage {
        public Query {
            want = Set.copyOf(want);
        }

        public Query(byte[] transaction, String method, NodeId id, NodeId target, byte[] token, int port,
                     boolean impliedPort, boolean readOnly) {
            this(transaction, method, id, target, token, port, impliedPort, readOnly, Set.of());
        }
    }

    /**
     * A response: {@code nodes} (IPv4), {@code nodes6} (IPv6) and {@code values} (peers of
     * either family, BEP 32) may be empty, {@code token} null; {@code ip} is BEP 42's top-level
     * {@code ip}, the address the responder saw our query come from, or null.
     */
    record Response(byte[] transaction, NodeId id, List<NodeInfo> nodes, List<NodeInfo> nodes6,
                    List<InetSocketAddress> values, byte[] token, InetSocketAddress ip) implements KrpcMessage {
        public Response(byte[] transaction, NodeId id, List<NodeInfo> nodes, List<NodeInfo> nodes6,
                        List<InetSocketAddress> values, byte[] token) {
            this(transaction, id, nodes, nodes6, values, token, null);
        }

        public Response(byte[] transaction, NodeId id, List<NodeInfo> nodes, List<InetSocketAddress> values,
                        byte[] token) {
            this(transaction, id, nodes, List.of(), values, token);
        }
    }

    record Error(byte[] transaction, long code, String message) implements KrpcMessage {
    }
}
