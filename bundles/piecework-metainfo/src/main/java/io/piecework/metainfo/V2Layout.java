package io.piecework.metainfo;

import io.piecework.bencode.BDictionary;
import io.piecework.bencode.BString;
import io.piecework.bencode.BValue;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes the BEP 52 parts of a new torrent: the {@code file tree} and the {@code piece layers}. */
final class V2Layout {
    private V2Layout() {
    }

    /**
     * Nested dictionaries, one level per path component, each file a dictionary under the key ""
     * with its length and (when not empty) pieces root. A single file sits at the top under its name.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> tree(List<String> names, long[] lengths, MerkleHasher.FileHashes[] hashes,
                                    boolean folder) {
        Map<String, Object> root = new TreeMap<>();
        for (int i = 0; i < names.size(); i++) {
            String[] parts = folder ? names.get(i).split("/", -1) : new String[] {names.get(i)};
            Map<String, Object> dir = root;
            for (int j = 0; j < parts.length - 1; j++) {
                dir = (Map<String, Object>) dir.computeIfAbsent(parts[j], k -> new TreeMap<String, Object>());
            }
            Map<String, Object> leaf = new LinkedHashMap<>();
            leaf.put("length", lengths[i]);
            if (hashes[i].root() != null) {
                leaf.put("pieces root", hashes[i].root());
            }
            dir.put(parts[parts.length - 1], Map.of("", leaf));
        }
        return root;
    }

    /** One layer per file of more than one piece, keyed by its pieces root (identical files share one). */
    static BDictionary layers(MerkleHasher.FileHashes[] hashes) {
        Map<String, BValue> layers = new TreeMap<>();
        for (MerkleHasher.FileHashes h : hashes) {
            if (h.layer() != null) {
                // BDictionary keys are the raw bytes as Latin-1, one char per byte.
                layers.put(new String(h.root(), StandardCharsets.ISO_8859_1), BString.of(h.layer()));
            }
        }
        return BDictionary.of(layers);
    }
}
