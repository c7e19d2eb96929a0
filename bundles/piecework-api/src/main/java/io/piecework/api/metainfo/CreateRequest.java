package io.piecework.api.metainfo;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What to build a torrent from.
 *
 * @param source      a file, or a folder whose regular files are taken in sorted path order
 * @param pieceLength bytes per piece, a power of two of at least 16 KiB; 0 picks one from the size
 * @param trackers    announce URLs; each becomes its own tier, the first is also {@code announce}
 * @param webSeeds    BEP 19 {@code url-list}
 * @param privateFlag sets {@code private=1}
 * @param comment     optional comment, may be null
 * @param threads     hashing threads; 0 uses the available processors
 * @param version     v1 (the default), v2-only or hybrid (BEP 52)
 */
public record CreateRequest(Path source, long pieceLength, List<String> trackers, List<String> webSeeds,
                            boolean privateFlag, String comment, int threads, TorrentVersion version) {
    public CreateRequest {
        trackers = List.copyOf(trackers);
        webSeeds = List.copyOf(webSeeds);
        Objects.requireNonNull(version);
    }

    /** A v1 torrent. */
    public CreateRequest(Path source, long pieceLength, List<String> trackers, List<String> webSeeds,
                         boolean privateFlag, String comment, int threads) {
        this(source, pieceLength, trackers, webSeeds, privateFlag, comment, threads, TorrentVersion.V1);
    }

    /** The same request for another metainfo version. */
    public CreateRequest withVersion(TorrentVersion other) {
        return new CreateRequest(source, pieceLength, trackers, webSeeds, privateFlag, comment, threads, other);
    }

    public static CreateRequest of(Path source) {
        return new CreateRequest(source, 0, List.of(), List.of(), false, null, 0);
    }
}
