package io.piecework.api.metainfo;

import java.util.List;

/**
 * One file of a torrent, in torrent order.
 *
 * @param path    sanitised path components below the torrent's folder (never empty, never
 *                "." or "..", no separators or control characters): safe to resolve
 * @param length  size in bytes
 * @param offset  offset of the file's first byte in the torrent's concatenated data
 * @param padding true for a BEP 47 pad file, whose zeros are never written to disk
 */
public record FileEntry(List<String> path, long length, long offset, boolean padding) {
    public FileEntry {
        path = List.copyOf(path);
        if (path.isEmpty()) {
            throw new IllegalArgumentException("a file needs a path");
        }
        if (length < 0 || offset < 0) {
            throw new IllegalArgumentException("negative file length or offset");
        }
    }

    /** The path joined with '/', for display. */
    public String displayPath() {
        return String.join("/", path);
    }
}
