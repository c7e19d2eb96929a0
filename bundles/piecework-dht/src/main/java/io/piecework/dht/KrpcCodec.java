package io.piecework.dht;

import io.piecework.bencode.BDictionary;
import io.piecework.bencode.BInteger;
import io.piecework.bencode.BList;
import io.piecework.bencode.BString;
import io.piecework.bencode.BValue;
import io.piecework.bencode.Bencode;
import io.piecework.bencode.BencodeException;
import io.piecework.bencode.BencodeLimits;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * KRPC over bencode (BEP 5), read-only flag of BEP 43, IPv6 extensions of BEP 32 ({@code nodes6},
 * {@code want}, 18-byte {@code values}). Decoding is strict about what the node
 * relies on (types, lengths of ids, tokens, compact entries) and ignores unknown keys, as the
 * BEP asks. Sizes are bounded so no packet can make the node allocate much.
 */
public final class KrpcCodec {
    /** Larger datagrams are dropped unread: real KRPC messages fit in one MTU. */
    public static final int MAX_PACKET = 4096;
    public static final int MAX_TRANSACTION = 16;
    public static final int MAX_TOKEN = 64;
    public static final int MAX_METHOD = 32;
    /** Most nodes read from one response (libtorrent sends 8); a longer {@code nodes6} is refused. */
    public static final int MAX_NODES = 16;
    /** Most peers read from one response. */
    public static final int MAX_VALUES = 200;
    public static final int MAX_ERROR_CHARS = 200;
    private static final BencodeLimits LIMITS = new BencodeLimits(4, MAX_PACKET, MAX_PACKET, 512);

    private KrpcCodec() {
    }

    public static KrpcMessage decode(ByteBuffer packet) throws KrpcException {
        if (packet.remaining() > MAX_PACKET) {
            throw new KrpcException("packet of " + packet.remaining() + " bytes", null);
        }
        BValue root;
        try {
            root = Bencode.decode(packet, LIMITS);
        } catch (BencodeException e) {
            throw new KrpcException("not bencode: " + e.getMessage(), null);
        }
        if (!(root instanceof BDictionary d)) {
            throw new KrpcException("not a dictionary", null);
        }
        byte[] tx = bytes(d, "t", 1, MAX_TRANSACTION, null);
        byte[] y = bytes(d, "y", 1, 1, null);
        switch (y[0]) {
            case 'q':
                return query(d, tx);
            case 'r':
                return response(d, tx);
            case 'e':
                return error(d, tx);
            default:
                throw new KrpcException("unknown message type " + (char) y[0], null);
        }
    }

    private static KrpcMessage.Query query(BDictionary d, byte[] tx) throws KrpcException {
        byte[] m = bytes(d, "q", 1, MAX_METHOD, tx);
        String method = new String(m, StandardCharsets.ISO_8859_1);
        BDictionary a = d.dictionary("a").orElseThrow(() -> new KrpcException("query without arguments", tx));
        NodeId id = id(a, "id", tx);
        boolean readOnly = d.integer("ro").map(i -> i.value() == 1).orElse(false);
        NodeId target = null;
        byte[] token = null;
        int port = 0;
        boolean implied = false;
        Set<String> want = Set.of();
        switch (method) {
            case "find_node":
                target = id(a, "target", tx);
                want = want(a, tx);
                break;
            case "get_peers":
                target = id(a, "info_hash", tx);
                want = want(a, tx);
                break;
            case "announce_peer":
                target = id(a, "info_hash", tx);
                token = bytes(a, "token", 1, MAX_TOKEN, tx);
                implied = a.integer("implied_port").map(i -> i.value() != 0).orElse(false);
                if (!implied) {
                    long p = a.integer("port").orElseThrow(() -> new KrpcException("announce_peer without port", tx)).value();
                    if (p < 1 || p > 65_535) {
                        throw new KrpcException("port " + p, tx);
                    }
                    port = (int) p;
                }
                break;
            default:
                break; // ping, or a method the node answers with 204
        }
        return new KrpcMessage.Query(tx, method, id, target, token, port, implied, readOnly, want);
    }

    /** BEP 32's {@code want}: a list of strings; flags other than n4 and n6 are ignored, as the BEP asks. */
    private static Set<String> want(BDictionary a, byte[] tx) throws KrpcException {
        if (!a.containsKey("want")) {
            return Set.of();
        }
        BList l = a.list("want").orElseThrow(() -> new KrpcException("want is not a list", tx));
        Set<String> out = new LinkedHashSet<>();
        for (BValue v : l.items()) {
            if (!(v instanceof BString s)) {
                throw new KrpcException("a want flag is not a string", tx);
            }
            String flag = s.latin1();
            if (flag.equals(KrpcMessage.WANT_N4) || flag.equals(KrpcMessage.WANT_N6)) {
                out.add(flag);
            }
        }
        return out;
    }

    private static KrpcMessage.Response response(BDictionary d, byte[] tx) throws KrpcException {
        BDictionary r = d.dictionary("r").orElseThrow(() -> new KrpcException("response without body", null));
        NodeId id = id(r, "id", null);
        List<NodeInfo> nodes = List.of();
        if (r.containsKey("nodes")) {
            nodes = nodes(bytes(r, "nodes", 0, MAX_PACKET, null));
        }
        List<NodeInfo> nodes6 = List.of();
        if (r.containsKey("nodes6")) {
            nodes6 = nodes6(bytes(r, "nodes6", 0, MAX_PACKET, null));
        }
        List<InetSocketAddress> values = List.of();
        if (r.containsKey("values")) {
            BList l = r.list("values").orElseThrow(() -> new KrpcException("values is not a list", null));
            values = new ArrayList<>();
            for (BValue v : l.items()) {
                if (!(v instanceof BString s)) {
                    throw new KrpcException("a value is not a string", null);
                }
                // BEP 32: a list may mix 6-byte IPv4 and 18-byte IPv6 peers; other lengths are skipped.
                if ((s.length() == 6 || s.length() == 18) && values.size() < MAX_VALUES) {
                    InetSocketAddress peer = s.length() == 6 ? address(s.bytes(), 0) : address6(s.bytes(), 0);
                    if (peer.getPort() != 0 && !values.contains(peer)) {
                        values.add(peer);
                    }
                }
            }
            values = List.copyOf(values);
        }
        byte[] token = r.containsKey("token") ? bytes(r, "token", 1, MAX_TOKEN, null) : null;
        return new KrpcMessage.Response(tx, id, nodes, nodes6, values, token, ip(d));
    }

    /** BEP 42's top-level {@code ip}: 6 or 18 bytes; anything else is ignored, as a node that omits it. */
    private static InetSocketAddress ip(BDictionary d) throws KrpcException {
        BString s = d.string("ip").orElse(null);
        if (s == null || s.length() != 6 && s.length() != 18) {
            return null;
        }
        return s.length() == 6 ? address(s.bytes(), 0) : address6(s.bytes(), 0);
    }

    private static KrpcMessage.Error error(BDictionary d, byte[] tx) throws KrpcException {
        BList e = d.list("e").orElseThrow(() -> new KrpcException("error without body", null));
        if (e.size() < 2 || !(e.get(0) instanceof BInteger code) || !(e.get(1) instanceof BString text)) {
            throw new KrpcException("error body is not [code, message]", null);
        }
        String message = text.latin1();
        if (message.length() > MAX_ERROR_CHARS) {
            message = message.substring(0, MAX_ERROR_CHARS) + "...";
        }
        return new KrpcMessage.Error(tx, code.value(), message);
    }

    private static byte[] bytes(BDictionary d, String key, int min, int max, byte[] tx) throws KrpcException {
        BString s = d.string(key).orElseThrow(() -> new KrpcException("missing string '" + key + "'", tx));
        if (s.length() < min || s.length() > max) {
            throw new KrpcException("'" + key + "' has " + s.length() + " bytes", tx);
        }
        return s.bytes();
    }

    private static NodeId id(BDictionary d, String key, byte[] tx) throws KrpcException {
        return NodeId.of(bytes(d, key, NodeId.LENGTH, NodeId.LENGTH, tx));
    }

    /** Compact node infos; entries with port 0 are skipped, at most {@link #MAX_NODES} kept. */
    public static List<NodeInfo> nodes(byte[] compact) throws KrpcException {
        if (compact.length % NodeInfo.COMPACT_LENGTH != 0) {
            throw new KrpcException("nodes of " + compact.length + " bytes", null);
        }
        List<NodeInfo> out = new ArrayList<>();
        for (int at = 0; at < compact.length && out.size() < MAX_NODES; at += NodeInfo.COMPACT_LENGTH) {
            byte[] id = new byte[NodeId.LENGTH];
            System.arraycopy(compact, at, id, 0, NodeId.LENGTH);
            InetSocketAddress a = address(compact, at + NodeId.LENGTH);
            if (a.getPort() != 0) {
                out.add(new NodeInfo(NodeId.of(id), a));
            }
        }
        return List.copyOf(out);
    }

    /**
     * BEP 32 compact IPv6 node infos (38 bytes each). Stricter than {@link #nodes}: a truncated
     * entry or more than {@link #MAX_NODES} entries refuse the whole packet, since no honest node
     * sends them (libtorrent sends 8).
     */
    public static List<NodeInfo> nodes6(byte[] compact) throws KrpcException {
        if (compact.length % NodeInfo.COMPACT6_LENGTH != 0) {
            throw new KrpcException("nodes6 of " + compact.length + " bytes", null);
        }
        if (compact.length / NodeInfo.COMPACT6_LENGTH > MAX_NODES) {
            throw new KrpcException("nodes6 with " + compact.length / NodeInfo.COMPACT6_LENGTH + " nodes", null);
        }
        List<NodeInfo> out = new ArrayList<>();
        for (int at = 0; at < compact.length; at += NodeInfo.COMPACT6_LENGTH) {
            byte[] id = new byte[NodeId.LENGTH];
            System.arraycopy(compact, at, id, 0, NodeId.LENGTH);
            InetSocketAddress a = address6(compact, at + NodeId.LENGTH);
            if (a.getPort() != 0 && a.getAddress() instanceof Inet6Address) {
                out.add(new NodeInfo(NodeId.of(id), a));
            }
        }
        return List.copyOf(out);
    }

    /**
     * 16 address bytes and a port. An IPv4-mapped address (::ffff:a.b.c.d) comes back as an
     * IPv4 address from the JDK; callers that need IPv6 check the type.
     */
    private static InetSocketAddress address6(byte[] b, int at) {
        try {
            byte[] ip = new byte[16];
            System.arraycopy(b, at, ip, 0, 16);
            int port = ((b[at + 16] & 0xff) << 8) | (b[at + 17] & 0xff);
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("sixteen bytes are always an address", e);
        }
    }

    private static InetSocketAddress address(byte[] b, int at) {
        try {
            byte[] ip = {b[at], b[at + 1], b[at + 2], b[at + 3]};
            int port = ((b[at + 4] & 0xff) << 8) | (b[at + 5] & 0xff);
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }

    /** The compact form of an address and port: 6 bytes for IPv4, 18 for IPv6 (BEP 32). */
    public static byte[] compact(InetSocketAddress a) {
        byte[] ip = a.getAddress().getAddress();
        return ByteBuffer.allocate(ip.length + 2).put(ip).putShort((short) a.getPort()).array();
    }

    /** {@code nodes}: IPv4 nodes only, 26 bytes each. */
    public static byte[] compactNodes(List<NodeInfo> nodes) {
        return compactNodes(nodes, false);
    }

    /** {@code nodes6} (BEP 32): IPv6 nodes only, 38 bytes each. */
    public static byte[] compactNodes6(List<NodeInfo> nodes) {
        return compactNodes(nodes, true);
    }

    private static byte[] compactNodes(List<NodeInfo> nodes, boolean ipv6) {
        int size = ipv6 ? NodeInfo.COMPACT6_LENGTH : NodeInfo.COMPACT_LENGTH;
        ByteBuffer b = ByteBuffer.allocate(nodes.size() * size);
        for (NodeInfo n : nodes) {
            if (n.isIpv6() != ipv6) {
                throw new IllegalArgumentException("not an IPv" + (ipv6 ? 6 : 4) + " node: " + n);
            }
            b.put(n.id().bytes()).put(compact(n.address()));
        }
        return b.array();
    }

    public static byte[] ping(byte[] tx, NodeId id, boolean readOnly) {
        return query(tx, "ping", args(id), readOnly);
    }

    public static byte[] findNode(byte[] tx, NodeId id, NodeId target, boolean readOnly) {
        return findNode(tx, id, target, readOnly, Set.of());
    }

    /** find_node with BEP 32's {@code want} flags (left out when empty). */
    public static byte[] findNode(byte[] tx, NodeId id, NodeId target, boolean readOnly, Set<String> want) {
        Map<String, Object> a = args(id);
        a.put("target", target.bytes());
        putWant(a, want);
        return query(tx, "find_node", a, readOnly);
    }

    public static byte[] getPeers(byte[] tx, NodeId id, NodeId infoHash, boolean readOnly) {
        return getPeers(tx, id, infoHash, readOnly, Set.of());
    }

    /** get_peers with BEP 32's {@code want} flags (left out when empty). */
    public static byte[] getPeers(byte[] tx, NodeId id, NodeId infoHash, boolean readOnly, Set<String> want) {
        Map<String, Object> a = args(id);
        a.put("info_hash", infoHash.bytes());
        putWant(a, want);
        return query(tx, "get_peers", a, readOnly);
    }

    private static void putWant(Map<String, Object> a, Set<String> want) {
        if (!want.isEmpty()) {
            a.put("want", want.stream().sorted().toList());
        }
    }

    public static byte[] announcePeer(byte[] tx, NodeId id, NodeId infoHash, int port, byte[] token,
                                      boolean impliedPort, boolean readOnly) {
        Map<String, Object> a = args(id);
        a.put("info_hash", infoHash.bytes());
        a.put("port", port);
        a.put("token", token);
        if (impliedPort) {
            a.put("implied_port", 1);
        }
        return query(tx, "announce_peer", a, readOnly);
    }

    private static Map<String, Object> args(NodeId id) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("id", id.bytes());
        return a;
    }

    private static byte[] query(byte[] tx, String method, Map<String, Object> args, boolean readOnly) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("t", tx);
        m.put("y", "q");
        m.put("q", method);
        m.put("a", args);
        if (readOnly) {
            m.put("ro", 1);
        }
        return Bencode.encodeObject(m);
    }

    /** A response; {@code nodes} and {@code values} are left out when empty, {@code token} when null. */
    public static byte[] response(byte[] tx, NodeId id, List<NodeInfo> nodes, List<InetSocketAddress> values,
                                  byte[] token) {
        return response(tx, id, nodes, List.of(), values, token);
    }

    /** A response with BEP 32's {@code nodes6} too (left out when empty). */
    public static byte[] response(byte[] tx, NodeId id, List<NodeInfo> nodes, List<NodeInfo> nodes6,
                                  List<InetSocketAddress> values, byte[] token) {
        return response(tx, id, nodes, nodes6, values, token, null);
    }

    /** A response that also tells the querist its address as we saw it (BEP 42's {@code ip}), unless null. */
    public static byte[] response(byte[] tx, NodeId id, List<NodeInfo> nodes, List<NodeInfo> nodes6,
                                  List<InetSocketAddress> values, byte[] token, InetSocketAddress querist) {
        Map<String, Object> r = args(id);
        if (!nodes.isEmpty()) {
            r.put("nodes", compactNodes(nodes));
        }
        if (!nodes6.isEmpty()) {
            r.put("nodes6", compactNodes6(nodes6));
        }
        if (!values.isEmpty()) {
            List<byte[]> v = new ArrayList<>(values.size());
            for (InetSocketAddress a : values) {
                v.add(compact(a));
            }
            r.put("values", v);
        }
        if (token != null) {
            r.put("token", token);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("t", tx);
        m.put("y", "r");
        m.put("r", r);
        if (querist != null) {
            m.put("ip", compact(querist));
        }
        return Bencode.encodeObject(m);
    }

    public static byte[] error(byte[] tx, int code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("t", tx);
        m.put("y", "e");
        m.put("e", List.of(code, message));
        return Bencode.encodeObject(m);
    }
}
