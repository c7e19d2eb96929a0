package io.piecework.api.metainfo;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed v1 torrent. Immutable. For a single-file torrent {@link #files()} has one entry
 * whose path is the torrent's name; {@link #multiFile()} tells the two layouts apart, since a
 * multi-file torrent's files live in a folder named after the torrent.
 */
public final class TorrentMetainfo {
    private final InfoHash infoHash;
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

    public TorrentMetainfo(InfoHash infoHash, String name, long pieceLength, byte[] pieceHashes,
                           List<FileEntry> files, boolean multiFile, List<List<String>> trackerTiers,
                           List<String> webSeeds, boolean privateTorrent, String comment,
                           String createdBy, Long creationDate, byte[] infoBytes) {
        this.infoHash = Objects.requireNonNull(infoHash);
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
    }

    public InfoHash infoHash() {
        return infoHash;
    }

    /** The sanitised name: the file name (single file) or the folder name (multi-file). */
    public String name() {
        return name;
    }

    public long pieceLength() {
        return pieceLength;
    }

    public int pieceCount() {
        return pieceHashes.length / InfoHash.LENGTH;
    }

    /** Length of piece {@code index}; only the last piece may be shorter. */
    public long pieceSize(int index) {
        Objects.checkIndex(index, pieceCount());
        return index < pieceCount() - 1 ? pieceLength : totalSize() - pieceLength * (pieceCount() - 1L);
    }

    /** The expected SHA-1 of piece {@code index}. */
    public byte[] pieceHash(int index) {
        Objects.checkIndex(index, pieceCount());
        byte[] hash = new byte[InfoHash.LENGTH];
        System.arraycopy(pieceHashes, index * InfoHash.LENGTH, hash, 0, InfoHash.LENGTH);
        return hash;
    }

    /** All piece hashes concatenated, read-only. */
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

    /** The original bytes of the {@code info} dictionary; their SHA-1 is the info-hash. */
    public byte[] infoBytes() {
        return infoBytes.clone();
    }

    @Override
    public String toString() {
        return name + " (" + infoHash.hex() + ")";
    }
}
