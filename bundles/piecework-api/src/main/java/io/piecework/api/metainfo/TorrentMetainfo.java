package io.piecework.api.metainfo;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed torrent: v1, v2 (BEP 52) or hybrid ({@link #version()}). Immutable. For a
 * single-file torrent {@link #files()} has one entry whose path is the torrent's name;
 * {@link #multiFile()} tells the two layouts apart, since a multi-file torrent's files live in
 * a folder named after the torrent. A v2-only torrent has no v1 piece hashes
 * ({@link #pieceHash} refuses; its pieces verify by their Merkle trees, {@link #v2Files()}); its
 * files are laid out as a padded hybrid's, each starting a piece (the piece index space of
 * BEP 52), with a pad entry before each file that would otherwise start inside a piece.
 */
public final class TorrentMetainfo {
    private final TorrentVersion version;
    private final InfoHash infoHash;
    private final V2Files v2;
    private final String name;
    private final long pieceLength;
    private final byte[] pieceHashes;
    private final List<FileEntry> files;
    private final boolean multiFile;
    private final List<List<String>> trackerTiers;
    private final List<String> webSeeds;
    private final boolean privateTorrent;
    private final String comment;
    private final String createdBy;
    private final Long creationDate;
    private final byte[] infoBytes;
    private final int pieceCount;

    public TorrentMetainfo(InfoHash infoHash, String name, long pieceLength, byte[] pieceHashes,
                           List<FileEntry> files, boolean multiFile, List<List<String>> trackerTiers,
                           List<String> webSeeds, boolean privateTorrent, String comment,
                           String createdBy, Long creationDate, byte[] infoBytes) {
        this(TorrentVersion.V1, infoHash, null, name, pieceLength, pieceHashes, files, multiFile, trackerTiers,
                webSeeds, privateTorrent, comment, createdBy, creationDate, infoBytes);
    }

    /**
     * A torrent of any version. {@code infoHash} is the v1 info-hash, or for a v2-only torrent
     * the truncated v2 one; {@code v2} is required for v2 and hybrid and must be null for v1.
     */
    public TorrentMetainfo(TorrentVersion version, InfoHash infoHash, V2Files v2, String name, long pieceLength,
                           byte[] pieceHashes, List<FileEntry> files, boolean multiFile,
                           List<List<String>> trackerTiers, List<String> webSeeds, boolean privateTorrent,
                           String comment, String createdBy, Long creationDate, byte[] infoBytes) {
        this.version = Objects.requireNonNull(version);
        this.infoHash = Objects.requireNonNull(infoHash);
        this.v2 = v2;
        if (version.hasV2() != (v2 != null) || v2 != null && v2.roots().size() != files.size()) {
            throw new IllegalArgumentException("a " + version + " torrent needs v2 data for each file exactly when v2");
        }
        if (version == TorrentVersion.V2 && !infoHash.equals(v2.infoHash().truncated())) {
            throw new IllegalArgumentException("a v2-only torrent is known by its truncated v2 info-hash");
        }
        this.name = Objects.requireNonNull(name);
        this.pieceLength = pieceLength;
        this.pieceHashes = pieceHashes.clone();
        this.files = List.copyOf(files);
        this.multiFile = multiFile;
        this.trackerTiers = trackerTiers.stream().map(List::copyOf).toList();
        this.webSeeds = List.copyOf(webSeeds);
        this.privateTorrent = privateTorrent;
        this.comment = comment;
        this.createdBy = createdBy;
        this.creationDate = creationDate;
        this.infoBytes = infoBytes.clone();
        if (pieceHashes.length % InfoHash.LENGTH != 0) {
            throw new IllegalArgumentException("piece hashes must be a multiple of 20 bytes");
        }
        if (version == TorrentVersion.V2) {
            if (pieceHashes.length != 0 || pieceLength <= 0) {
                throw new IllegalArgumentException("a v2-only torrent has no v1 piece hashes and a piece length");
            }
            this.pieceCount = Math.toIntExact((totalSize() + pieceLength - 1) / pieceLength);
        } else {
            this.pieceCount = pieceHashes.length / InfoHash.LENGTH;
        }
    }

    /**
     * The 20-byte hash this torrent is known by on the wire, at trackers and in the DHT: the
     * v1 info-hash (SHA-1), or for a v2-only torrent the truncated v2 info-hash.
     */
    public InfoHash infoHash() {
        return infoHash;
    }

    public TorrentVersion version() {
        return version;
    }

    /** The v1 info-hash, absent for a v2-only torrent. */
    public Optional<InfoHash> infoHashV1() {
        return version.hasV1() ? Optional.of(infoHash) : Optional.empty();
    }

    /** The v2 info-hash (SHA-256 of the info dictionary), for v2 and hybrid torrents. */
    public Optional<InfoHashV2> infoHashV2() {
        return v2 == null ? Optional.empty() : Optional.of(v2.infoHash());
    }

    /** Pieces roots and piece layers per file, for v2 and hybrid torrents. */
    public Optional<V2Files> v2Files() {
        return Optional.ofNullable(v2);
    }

    /** The sanitised name: the file name (single file) or the folder name (multi-file). */
    public String name() {
        return name;
    }

    public long pieceLength() {
        return pieceLength;
    }

    /** The number of pieces: of the v1 hashes, or for a v2-only torrent of its padded layout. */
    public int pieceCount() {
        return pieceCount;
    }

    /** Length of piece {@code index}; only the last piece may be shorter. */
    public long pieceSize(int index) {
        Objects.checkIndex(index, pieceCount());
        return index < pieceCount() - 1 ? pieceLength : totalSize() - pieceLength * (pieceCount() - 1L);
    }

    /** The expected SHA-1 of piece {@code index}; a v2-only torrent has none (IllegalStateException). */
    public byte[] pieceHash(int index) {
        Objects.checkIndex(index, pieceCount());
        if (!version.hasV1()) {
            throw new IllegalStateException(name + " is v2-only: its pieces have no SHA-1 hash");
        }
        byte[] hash = new byte[InfoHash.LENGTH];
        System.arraycopy(pieceHashes, index * InfoHash.LENGTH, hash, 0, InfoHash.LENGTH);
        return hash;
    }

    /** All piece hashes concatenated, read-only; empty for a v2-only torrent. */
    public ByteBuffer pieceHashes() {
        return ByteBuffer.wrap(pieceHashes).asReadOnlyBuffer();
    }

    public List<FileEntry> files() {
        return files;
    }

    public boolean multiFile() {
        return multiFile;
    }

    /** Sum of all file lengths, pad files included. */
    public long totalSize() {
        if (files.isEmpty()) {
            return 0;
        }
        FileEntry last = files.get(files.size() - 1);
        return last.offset() + last.length();
    }

    /** Announce URLs by tier (BEP 12); a lone {@code announce} is one tier of one. */
    public List<List<String>> trackerTiers() {
        return trackerTiers;
    }

    /** BEP 19 web seeds ({@code url-list}). */
    public List<String> webSeeds() {
        return webSeeds;
    }

    public boolean isPrivate() {
        return privateTorrent;
    }

    public Optional<String> comment() {
        return Optional.ofNullable(comment);
    }

    public Optional<String> createdBy() {
        return Optional.ofNullable(createdBy);
    }

    /** Seconds since the epoch, when the torrent says. */
    public Optional<Long> creationDate() {
        return Optional.ofNullable(creationDate);
    }

    /** The original bytes of the {@code info} dictionary; their SHA-1 (v1), SHA-256 (v2) are the info-hashes. */
    public byte[] infoBytes() {
        return infoBytes.clone();
    }

    @Override
    public String toString() {
        return name + " (" + infoHash.hex() + ")";
    }
}
