package io.piecework.api.metainfo;

/** Which BitTorrent metainfo versions a torrent carries. */
public enum TorrentVersion {
    /** BEP 3 only: SHA-1 piece hashes, one info-hash. */
    V1,
    /** BEP 52 only: a file tree of Merkle roots, a SHA-256 info-hash. */
    V2,
    /** Both, describing the same files (v1 with pad files so every file starts a piece). */
    HYBRID;

    public boolean hasV1() {
        return this != V2;
    }

    public boolean hasV2() {
        return this != V1;
    }

    /** As {@code info} shows it. */
    public String label() {
        return switch (this) {
            case V1 -> "v1";
            case V2 -> "v2";
            case HYBRID -> "hybrid (v1 + v2)";
        };
    }
}
