package io.piecework.dht.internal;

import io.piecework.bencode.BDictionary;
import io.piecework.bencode.Bencode;
import io.piecework.bencode.BencodeException;
import io.piecework.bencode.BencodeLimits;
import io.piecework.dht.KrpcCodec;
import io.piecework.dht.KrpcException;
import io.piecework.dht.NodeId;
import io.piecework.dht.NodeInfo;
import io.piecework.dht.SecureNodeId;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The node id and routing table across restarts: a bencoded dictionary {@code id} (20 bytes),
 * {@code nodes} / {@code nodes6} (compact IPv4 / IPv6 node infos, BEP 32) and {@code ip} (our
 * external address as the DHT agreed on it, 4 or 16 bytes, when known), written to a temporary
 * file and moved into place.
 */
final class StateFile {
    /** Most nodes read back per family: a table holds at most 160 · 8. */
    static final int MAX_NODES = 160 * RoutingTable.K;

    record State(NodeId id, List<NodeInfo> nodes, InetAddress external) {
    }

    private StateFile() {
    }

    /**
     * The id to start with: the saved one, unless the DHT told us our external address and the
     * saved id does not match it (BEP 42), or there is none; then a fresh one that matches the
     * address when it is known. A node that changed networks gets a BEP 42 id on its next start.
     */
    static NodeId idFor(State state, Random random) {
        InetAddress external = state == null ? null : state.external();
        if (state != null && (external == null || SecureNodeId.matches(state.id(), external))) {
            return state.id();
        }
        return external == null ? NodeId.random(random) : SecureNodeId.generate(external, random);
    }

    static void save(Path file, NodeId id, List<NodeInfo> nodes) throws IOException {
        save(file, id, nodes, null);
    }

    static void save(Path file, NodeId id, List<NodeInfo> nodes, InetAddress external) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id.bytes());
        if (external != null) {
            m.put("ip", external.getAddress());
        }
        List<NodeInfo> v4 = nodes.stream().filter(n -> !n.isIpv6()).limit(MAX_NODES).toList();
        List<NodeInfo> v6 = nodes.stream().filter(NodeInfo::isIpv6).limit(MAX_NODES).toList();
        m.put("nodes", KrpcCodec.compactNodes(v4));
        if (!v6.isEmpty()) {
            m.put("nodes6", KrpcCodec.compactNodes6(v6));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, Bencode.encodeObject(m));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The saved state, or null when there is none or it is unreadable (a fresh node then). */
    static State load(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            int most = (26 + 38) * MAX_NODES + 200;
            BDictionary d = (BDictionary) Bencode.decode(bytes, new BencodeLimits(2, 38 * MAX_NODES, most, 8));
            NodeId id = NodeId.of(d.string("id").orElseThrow().bytes());
            List<NodeInfo> nodes = new ArrayList<>();
            read(d.string("nodes").orElseThrow().bytes(), NodeInfo.COMPACT_LENGTH, nodes);
            if (d.containsKey("nodes6")) {
                read(d.string("nodes6").orElseThrow().bytes(), NodeInfo.COMPACT6_LENGTH, nodes);
            }
            InetAddress external = null;
            if (d.containsKey("ip")) {
                byte[] ip = d.string("ip").orElseThrow().bytes();
                external = ip.length == 4 || ip.length == 16 ? InetAddress.getByAddress(ip) : null;
            }
            return new State(id, nodes, external);
        } catch (IOException | BencodeException | KrpcException | RuntimeException e) {
            return null;
        }
    }

    /** In chunks the codec accepts (it reads at most {@link KrpcCodec#MAX_NODES} per call). */
    private static void read(byte[] compact, int size, List<NodeInfo> into) throws KrpcException {
        for (int at = 0; at + size <= compact.length; at += size * KrpcCodec.MAX_NODES) {
            int len = Math.min(size * KrpcCodec.MAX_NODES, compact.length - at);
            byte[] chunk = new byte[len];
            System.arraycopy(compact, at, chunk, 0, len);
            into.addAll(size == NodeInfo.COMPACT6_LENGTH ? KrpcCodec.nodes6(chunk) : KrpcCodec.nodes(chunk));
        }
    }
}
