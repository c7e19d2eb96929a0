package io.piecework.metainfo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds v2 and hybrid .torrent documents for tests as mutable maps (data-free: roots are made up). */
final class V2Torrents {
    private V2Torrents() {
    }

    /** A v2-only torrent; files given as path, length, path, length...; paths as "a/b/c". */
    static Map<String, Object> v2(String name, Object... pathsAndLengths) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", name);
        info.put("piece length", Torrents.PIECE);
        info.put("meta version", 2L);
        info.put("file tree", tree(pathsAndLengths));
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("info", info);
        return top;
    }

    /** A hybrid: the v2 tree plus a v1 file list padded so every file starts a piece (if {@code pad}). */
    static Map<String, Object> hybrid(String name, boolean pad, Object... pathsAndLengths) {
        Map<String, Object> t = v2(name, pathsAndLengths);
        List<Object> files = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < pathsAndLengths.length; i += 2) {
            long length = ((Number) pathsAndLengths[i + 1]).longValue();
            if (pad && total % Torrents.PIECE != 0) {
                long gap = Torrents.PIECE - total % Torrents.PIECE;
                Map<String, Object> p = Torrents.file(List.of(".pad", Long.toString(gap)), gap);
                p.put("attr", "p");
                files.add(p);
                total += gap;
            }
            files.add(Torrents.file(List.of(((String) pathsAndLengths[i]).split("/", -1)), length));
            total += length;
        }
        Torrents.info(t).put("files", files);
        Torrents.info(t).put("pieces", new byte[Torrents.pieceCount(total) * 20]);
        return t;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> tree(Object... pathsAndLengths) {
        Map<String, Object> root = new TreeMap<>();
        for (int i = 0; i < pathsAndLengths.length; i += 2) {
            String path = (String) pathsAndLengths[i];
            long length = ((Number) pathsAndLengths[i + 1]).longValue();
            Map<String, Object> folder = root;
            String[] parts = path.split("/", -1);
            for (int j = 0; j < parts.length - 1; j++) {
                folder = (Map<String, Object>) folder.computeIfAbsent(parts[j], k -> new TreeMap<String, Object>());
            }
            folder.put(parts[parts.length - 1], Map.of("", leaf(path, length)));
        }
        return root;
    }

    static Map<String, Object> leaf(String path, long length) {
        Map<String, Object> leaf = new LinkedHashMap<>();
        leaf.put("length", length);
        if (length > 0) {
            leaf.put("pieces root", Merkle.sha256().digest(path.getBytes(StandardCharsets.UTF_8)));
        }
        return leaf;
    }
}
