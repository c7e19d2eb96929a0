package io.piecework.api.metainfo;

/** Told how far hashing has got while a torrent is created; called from hashing threads. */
@FunctionalInterface
public interface CreateProgress {
    CreateProgress NONE = (hashed, total) -> { };

    void hashed(long bytesHashed, long totalBytes);
}
