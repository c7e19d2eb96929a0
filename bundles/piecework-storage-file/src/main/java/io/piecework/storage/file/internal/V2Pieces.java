package io.piecework.storage.file.internal;

import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.V2Files;
import io.piecework.api.storage.StorageException;
import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Verifies the pieces of a v2-only torrent (BEP 52) by their Merkle trees: SHA-256 of each
 * 16 KiB block of the piece's file bytes (the last one short), padded with zero hashes to the
 * piece's subtree width, reduced to one hash and compared with the file's piece layer entry, or
 * with its pieces root for a file of one piece (whose tree is only as wide as its blocks need).
 * A piece never spans files (each file starts a piece), so one piece is one file's bytes, then
 * padding that is never read.
 *
 * <p>The piece layers come from the torrent; a file whose layer is not known yet (fetched from
 * peers later, BEP 52 hash requests) is added with {@link #addLayer}, checked against its
 * pieces root first. Until then its pieces verify as incomplete.
 */
final class V2Pieces {
    static final int BLOCK = 16 << 10;
    static final int HASH = 32;
    private static final byte[] ZERO = new byte[HASH];

    /** Reads torrent bytes; false when they are not on disk. */
    interface Reader {
        boolean read(long offset, ByteBuffer into) throws StorageException;
    }

    private final long pieceLength;
    private final V2Files v2;
    /** The files with data, in torrent order: index into files(), first byte, length. */
    private final int[] fileIndex;
    private final long[] starts;
    private final long[] lengths;
    /** Per files() index: the piece layer, null until known; written once, read by hashing threads. */
    private final byte[][] layers;

    V2Pieces(TorrentMetainfo metainfo) {
        this.pieceLength = metainfo.pieceLength();
        this.v2 = metainfo.v2Files().orElseThrow(() -> new IllegalArgumentException(metainfo + " has no v2 part"));
        List<FileEntry> files = metainfo.files();
        List<Integer> withData = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            if (!files.get(i).padding() && files.get(i).length() > 0) {
                withData.add(i);
            }
        }
        fileIndex = withData.stream().mapToInt(Integer::intValue).toArray();
        starts = new long[fileIndex.length];
        lengths = new long[fileIndex.length];
        for (int j = 0; j < fileIndex.length; j++) {
            starts[j] = files.get(fileIndex[j]).offset();
            lengths[j] = files.get(fileIndex[j]).length();
        }
        layers = new byte[files.size()][];
        for (int i = 0; i < files.size(); i++) {
            ByteBuffer layer = v2.layer(i);
            if (layer != null) {
                layers[i] = new byte[layer.remaining()];
                layer.get(layers[i]);
            }
        }
    }

    /**
     * Adds a file's piece layer learnt after the torrent was opened (e.g. from peers).
     *
     * @return false, and nothing kept, when it does not hash to the file's pieces root
     */
    boolean addLayer(int file, byte[] layer) {
        byte[] root = v2.root(file);
        long length = lengthOf(file);
        long pieces = (length + pieceLength - 1) / pieceLength;
        if (root == null || pieces < 2 || pieces > Integer.MAX_VALUE / HASH || layer.length != pieces * HASH) {
            return false;
        }
        byte[] padHash = ZERO;
        MessageDigest sha = sha256();
        for (long n = pieceLength / BLOCK; n > 1; n /= 2) {
            sha.update(padHash);
            sha.update(padHash);
            padHash = sha.digest();
        }
        byte[] level = Arrays.copyOf(layer, (Integer.highestOneBit((int) pieces - 1) << 1) * HASH);
        if (!Arrays.equals(root(sha, level, (int) pieces, 1, padHash), root)) {
            return false;
        }
        synchronized (layers) {
            layers[file] = layer.clone();
        }
        return true;
    }

    private long lengthOf(int file) {
        for (int j = 0; j < fileIndex.length; j++) {
            if (fileIndex[j] == file) {
                return lengths[j];
            }
        }
        return 0;
    }

    /** True when the piece's bytes hash to what the torrent says; false when they don't or aren't there. */
    boolean verify(Hashing.Worker worker, int piece, Reader reader) throws StorageException {
        long start = piece * pieceLength;
        int j = fileAt(start);
        if (j < 0) {
            return false; // a piece of padding only: the parser never makes one
        }
        int file = fileIndex[j];
        long inFile = start - starts[j];
        long size = Math.min(pieceLength, lengths[j] - inFile);
        boolean onePiece = lengths[j] <= pieceLength;
        byte[] expected;
        if (onePiece) {
            expected = v2.root(file);
        } else {
            byte[] layer;
            synchronized (layers) {
                layer = layers[file];
            }
            if (layer == null) {
                return false; // not known yet: cannot vouch for the data
            }
            int at = (int) (inFile / pieceLength) * HASH;
            expected = Arrays.copyOfRange(layer, at, at + HASH);
        }
        int count = (int) ((size + BLOCK - 1) / BLOCK);
        byte[] leaves = worker.leaves(Math.max(count, (int) (pieceLength / BLOCK)) * HASH);
        MessageDigest sha = worker.sha256;
        ByteBuffer buffer = worker.buffer;
        int leaf = 0;
        for (long done = 0; done < size; ) {
            int n = (int) Math.min(buffer.capacity(), size - done);
            buffer.clear().limit(n);
            if (!reader.read(start + done, buffer)) {
                return false;
            }
            buffer.flip();
            // The buffer holds whole blocks (its size is a multiple of 16 KiB) but the file's last.
            while (buffer.hasRemaining()) {
                int end = buffer.position() + Math.min(BLOCK, buffer.remaining());
                sha.update(buffer.limit(end));
                buffer.limit(n);
                digestInto(sha, leaves, leaf++ * HASH);
            }
            done += n;
        }
        // A piece of a multi-piece file has the piece's full width of leaves; a lone piece only
        // the power of two its blocks need.
        int width = onePiece ? 1 : (int) (pieceLength / BLOCK);
        return Arrays.equals(root(sha, leaves, count, width, ZERO), expected);
    }

    /** Index into the data files of the one holding torrent byte {@code offset}, or -1 (padding). */
    private int fileAt(long offset) {
        int lo = 0;
        int hi = starts.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= offset) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return hi >= 0 && offset < starts[hi] + lengths[hi] ? hi : -1;
    }

    /** The root over {@code count} hashes padded with {@code pad} to a power of two of at least {@code minWidth}. */
    private static byte[] root(MessageDigest sha, byte[] level, int count, int minWidth, byte[] pad) {
        int width = Math.max(minWidth, Integer.highestOneBit(Math.max(1, count - 1)) << (count > 1 ? 1 : 0));
        for (int i = count; i < width; i++) {
            System.arraycopy(pad, 0, level, i * HASH, HASH);
        }
        for (int n = width; n > 1; n /= 2) {
            for (int i = 0; i < n / 2; i++) {
                sha.update(level, 2 * i * HASH, 2 * HASH);
                digestInto(sha, level, i * HASH);
            }
        }
        return Arrays.copyOf(level, HASH);
    }

    private static void digestInto(MessageDigest sha, byte[] out, int offset) {
        try {
            sha.digest(out, offset, HASH);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
