package io.piecework.api.metainfo;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The BEP 52 part of a torrent: its v2 info-hash and, per entry of
 * {@link TorrentMetainfo#files()}, the file's {@code pieces root} and its verified
 * {@code piece layer} (SHA-256 hashes of its pieces, concatenated).
 *
 * @param infoHash   SHA-256 of the info dictionary
 * @param roots      one per file in {@code files()} order; null for pad files and empty files
 * @param layers     one per file; null where the torrent carries none (a file of at most one
 *                   piece needs none: its root is its only piece hash; a magnet's metadata has none)
 */
public record V2Files(InfoHashV2 infoHash, List<byte[]> roots, List<byte[]> layers) {
    public V2Files {
        Objects.requireNonNull(infoHash);
        roots = Collections.unmodifiableList(new ArrayList<>(roots));
        layers = Collections.unmodifiableList(new ArrayList<>(layers));
        if (roots.size() != layers.size()) {
            throw new IllegalArgumentException("one root and one layer slot per file");
        }
    }

    /** The pieces root of file {@code index}, or null for a pad or empty file. */
    public byte[] root(int index) {
        byte[] r = roots.get(index);
        return r == null ? null : r.clone();
    }

    /** The piece layer of file {@code index}, read-only, or null when there is none. */
    public ByteBuffer layer(int index) {
        byte[] l = layers.get(index);
        return l == null ? null : ByteBuffer.wrap(l).asReadOnlyBuffer();
    }
}
