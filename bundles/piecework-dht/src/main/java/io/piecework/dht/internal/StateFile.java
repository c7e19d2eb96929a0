package io.piecework.dht.internal;

import io.piecework.bencode.BDictionary;
import io.piecework.bencode.Bencode;
import io.piecework.bencode.BencodeException;
import io.piecework.bencode.BencodeLimits;
import io.piecework.dht.KrpcCodec;
import io.piecework.dht.KrpcException;
import io.piecework.dht.NodeId;
import io.piecework.dht.NodeInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node id and routing table across restarts: a bencoded dictionary {@code id} (20 bytes)
 * and {@code nodes} (compact node infos), written to a temporary file and moved into place.
 */
final class StateFile {
    /** Most nodes read back: the table holds at most 160 · 8. */
    static final int MAX_NODES = 160 * RoutingTable.K;

    record State(NodeId id, List<NodeInfo> nodes) {
    }

    private StateFile() {
    }

    static void save(Path file, NodeId id, List<NodeInfo> nodes) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id.bytes());
        m.put("nodes", KrpcCodec.compactNodes(nodes.size() > MAX_NODES ? nodes.subList(0, MAX_NODES) : nodes));
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
            BDictionary d = (BDictionary) Bencode.decode(bytes, new BencodeLimits(2, 26 * MAX_NODES, 26 * MAX_NODES + 100, 8));
            NodeId id = NodeId.of(d.string("id").orElseThrow().bytes());
            byte[] compact = d.string("nodes").orElseThrow().bytes();
            List<NodeInfo> nodes = new ArrayList<>();
            for (int at = 0; at + 26 <= compact.length; at += 26 * KrpcCodec.MAX_NODES) {
                int len = Math.min(26 * KrpcCodec.MAX_NODES, compact.length - at);
                byte[] chunk = new byte[len];
                System.arraycopy(compact, at, chunk, 0, len);
                nodes.addAll(KrpcCodec.nodes(chunk));
            }
            return new State(id, nodes);
        } catch (IOException | BencodeException | KrpcException | RuntimeException e) {
            return null;
        }
    }
}
