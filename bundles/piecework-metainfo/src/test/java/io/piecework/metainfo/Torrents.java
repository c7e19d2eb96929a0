package io.piecework.metainfo;

import io.piecework.bencode.Bencode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds .torrent documents for tests as mutable maps, so each test changes one thing. */
final class Torrents {
    static final long PIECE = 16384;

    private Torrents() {
    }

    static Map<String, Object> singleFile(String name, long length) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", name);
        info.put("piece length", PIECE);
        info.put("pieces", new byte[pieceCount(length) * 20]);
        info.put("length", length);
        return top(info);
    }

    /** Files given as path, length, path, length...; paths as "a/b/c". */
    static Map<String, Object> multiFile(String name, Object... pathsAndLengths) {
        List<Object> files = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < pathsAndLengths.length; i += 2) {
            long length = ((Number) pathsAndLengths[i + 1]).longValue();
            files.add(file(List.of(((String) pathsAndLengths[i]).split("/", -1)), length));
            total += length;
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", name);
        info.put("piece length", PIECE);
        info.put("pieces", new byte[pieceCount(total) * 20]);
        info.put("files", files);
        return top(info);
    }

    static Map<String, Object> file(List<String> path, long length) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("length", length);
        f.put("path", path);
        return f;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> info(Map<String, Object> torrent) {
        return (Map<String, Object>) torrent.get("info");
    }

    @SuppressWarnings("unchecked")
    static List<Object> files(Map<String, Object> torrent) {
        return (List<Object>) info(torrent).get("files");
    }

    static byte[] encode(Map<String, Object> torrent) {
        return Bencode.encodeObject(torrent);
    }

    static int pieceCount(long total) {
        return (int) ((total + PIECE - 1) / PIECE);
    }

    static byte[] resource(String name) {
        try (InputStream in = Torrents.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> top(Map<String, Object> info) {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("announce", "http://tracker.example/announce");
        top.put("info", info);
        return top;
    }
}
