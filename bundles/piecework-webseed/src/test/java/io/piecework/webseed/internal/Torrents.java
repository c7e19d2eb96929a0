package io.piecework.webseed.internal;

import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.TorrentMetainfo;
import java.util.ArrayList;
import java.util.List;

/** Metainfo for tests: files laid end to end, hashes that nobody checks here. */
final class Torrents {
    private Torrents() {
    }

    static TorrentMetainfo single(String name, long length, long pieceLength, List<String> webSeeds) {
        return make(name, pieceLength, false, List.of(new FileEntry(List.of(name), length, 0, false)), webSeeds);
    }

    /**
     * @param files each a path (joined by '/', or a list of names taken as they are) and a length;
     *              a path starting ".pad/" is a pad file
     */
    static TorrentMetainfo multi(String name, long pieceLength, List<String> webSeeds, Object... files) {
        List<FileEntry> entries = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < files.length; i += 2) {
            List<String> path = files[i] instanceof List<?> names ? names.stream().map(String::valueOf).toList()
                    : List.of(((String) files[i]).split("/"));
            long length = ((Number) files[i + 1]).longValue();
            entries.add(new FileEntry(path, length, offset, path.get(0).equals(".pad")));
            offset += length;
        }
        return make(name, pieceLength, true, entries, webSeeds);
    }

    private static TorrentMetainfo make(String name, long pieceLength, boolean multi, List<FileEntry> files,
                                        List<String> webSeeds) {
        long total = files.stream().mapToLong(FileEntry::length).sum();
        int pieces = (int) ((total + pieceLength - 1) / pieceLength);
        return new TorrentMetainfo(InfoHash.of(new byte[20]), name, pieceLength, new byte[pieces * 20], files, multi,
                List.of(), webSeeds, false, null, null, null, new byte[0]);
    }
}
