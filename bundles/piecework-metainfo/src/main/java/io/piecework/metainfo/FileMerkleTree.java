package io.piecework.metainfo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * One file's BEP 52 Merkle tree as far as we know it: its shape (from the file's length and the
 * piece length), its {@code pieces root}, and its piece layer when we have one. It answers a
 * peer's hash request with the requested hashes and their uncle hashes ({@link #answer}), and
 * checks a peer's answer against what it knows ({@link #verify}).
 *
 * <p>Layers count from the 16 KiB block leaves (0) up to the root ({@link #height()}); the
 * leaves are padded with zero hashes to a power of two. Hashes below the piece layer come from
 * the file's data ({@link LeafSource}), one piece at a time, so a request is answered below
 * the piece layer only when its hashes lie in one piece (what libtorrent asks for).
 * Thread-safe: the layers above the piece layer are computed once, on first use.
 */
public final class FileMerkleTree {
    public static final int BLOCK = Merkle.BLOCK;
    public static final int HASH = Merkle.HASH;
    /** Most base hashes we answer with: BEP 52 says requests SHOULD NOT ask for more than 512. */
    public static final int MAX_ANSWER_LENGTH = 512;

    /** The SHA-256 of each block of a piece we have, for answers below the piece layer. */
    @FunctionalInterface
    public interface LeafSource {
        /** The leaf hashes of {@code piece} of this file (32 bytes per block), or null when we do not have it. */
        byte[] pieceLeaves(int piece) throws IOException;
    }

    private final long length;
    private final int pieceLength;
    private final int blocksPerPiece;
    private final long blocks;
    private final int height;
    private final int pieceLayer;
    private final int pieces;
    private final byte[] root;
    private final byte[] layer;
    /** Layers pieceLayer+1 .. height, each padded to its full width; computed from {@code layer} on first use. */
    private volatile byte[][] upper;

    /**
     * @param pieceLayerHashes the file's piece layer (32 bytes per piece), or null when we do not
     *                         have it; checked against {@code root} on first use
     */
    public FileMerkleTree(long length, int pieceLength, byte[] root, byte[] pieceLayerHashes) {
        if (length <= 0 || pieceLength < BLOCK || Integer.bitCount(pieceLength) != 1 || root.length != HASH) {
            throw new IllegalArgumentException("no Merkle tree for length " + length + ", piece length " + pieceLength);
        }
        this.length = length;
        this.pieceLength = pieceLength;
        this.blocksPerPiece = pieceLength / BLOCK;
        this.blocks = (length + BLOCK - 1) / BLOCK;
        this.height = 64 - Long.numberOfLeadingZeros(blocks - 1);
        this.pieceLayer = Integer.numberOfTrailingZeros(blocksPerPiece);
        this.pieces = Math.toIntExact((length + pieceLength - 1) / pieceLength);
        this.root = root.clone();
        if (pieceLayerHashes != null && (pieces < 2 || pieceLayerHashes.length != (long) pieces * HASH)) {
            throw new IllegalArgumentException("a piece layer of " + pieceLayerHashes.length + " bytes for "
                    + pieces + " pieces");
        }
        this.layer = pieceLayerHashes == null ? null : pieceLayerHashes.clone();
    }

    /** Layers above the leaves up to the root: log2 of the leaves padded to a power of two. */
    public int height() {
        return height;
    }

    /** The layer whose nodes each cover one piece (log2 of blocks per piece); above the root for a one-piece file. */
    public int pieceLayer() {
        return pieceLayer;
    }

    public int pieceCount() {
        return pieces;
    }

    /** Whether hashes can be checked down to pieces: a one-piece file's root is its piece hash. */
    public boolean hasPieceLayer() {
        return layer != null || pieces == 1;
    }

    /** Hash of piece {@code p} of this file, or null without a piece layer. */
    public byte[] pieceHash(int p) {
        if (pieces == 1) {
            return p == 0 ? root.clone() : null;
        }
        return layer == null ? null : Arrays.copyOfRange(layer, p * HASH, (p + 1) * HASH);
    }

    /** This tree with the piece layer a peer proved (see {@link #verify}); checked against the root on use. */
    public FileMerkleTree withPieceLayer(byte[] pieceLayerHashes) {
        return new FileMerkleTree(length, pieceLength, root, pieceLayerHashes);
    }

    /**
     * Why a request for these hashes names nothing in this tree, or null if it does: the layer
     * exists, the range lies in it, and the proof ends at or below the root (libtorrent's rules).
     */
    public String invalid(int base, int index, int count, int proofLayers) {
        if (base < 0 || base >= height) {
            return "base layer " + base + " is not below the root (height " + height + ")";
        }
        if (count < 2 || Integer.bitCount(count) != 1 || index < 0 || index % count != 0) {
            return "length " + count + " and index " + index + " are not a power of two and a multiple of it";
        }
        if ((long) index + count > width(base)) {
            return "hashes " + index + ".." + ((long) index + count) + " are beyond layer " + base + "'s "
                    + width(base);
        }
        if (proofLayers < 0 || proofLayers >= height - base) {
            return "proof layers " + proofLayers + " reach above the root";
        }
        return null;
    }

    /** Nodes in {@code layer}, padding included. */
    private long width(int atLayer) {
        return (1L << height) >>> atLayer;
    }

    private static int lengthLayers(int count) {
        return Integer.numberOfTrailingZeros(count);
    }

    /**
     * The {@code hashes} of a BEP 52 answer: {@code count} hashes of layer {@code base} from
     * {@code index}, then the uncle hashes of the proof, lowest first; or null when we cannot
     * answer (no such hashes, too many, below the piece layer across pieces, or data we lack).
     */
    public byte[] answer(int base, int index, int count, int proofLayers, LeafSource leaves) throws IOException {
        if (invalid(base, index, count, proofLayers) != null || count > MAX_ANSWER_LENGTH) {
            return null;
        }
        int k = lengthLayers(count);
        if (base < pieceLayer && (long) count << base > blocksPerPiece) {
            return null;
        }
        int uncles = Math.max(0, proofLayers - k + 1);
        byte[] out = new byte[(count + uncles) * HASH];
        Nodes nodes = new Nodes(leaves);
        for (int i = 0; i < count; i++) {
            if (!nodes.copy(base, index + i, out, i * HASH)) {
                return null;
            }
        }
        long at = index >>> k;
        for (int u = 0; u < uncles; u++) {
            if (!nodes.copy(base + k + u, (at >>> u) ^ 1, out, (count + u) * HASH)) {
                return null;
            }
        }
        return out;
    }

    /**
     * Checks a peer's {@code hashes} answer: the base hashes and uncles must hash up to a node we
     * know (the root, or a node at or above a piece layer we hold).
     *
     * @return the {@code count} base hashes, proven; or null when they prove nothing we can check
     */
    public byte[] verify(int base, int index, int count, int proofLayers, byte[] hashes) {
        if (invalid(base, index, count, proofLayers) != null) {
            return null;
        }
        int k = lengthLayers(count);
        int uncles = Math.max(0, proofLayers - k + 1);
        if (hashes.length != (long) (count + uncles) * HASH) {
            return null;
        }
        int top = base + k + uncles;
        byte[] known = top == height ? root : (top >= pieceLayer && layer != null ? upperNode(top, index >>> (k + uncles)) : null);
        if (known == null) {
            return null;
        }
        MessageDigest sha = Merkle.sha256();
        byte[] node = Merkle.root(hashes, count, new byte[HASH]);
        long at = index >>> k;
        for (int u = 0; u < uncles; u++) {
            sha.update((at & 1) == 0 ? node : hashes, (at & 1) == 0 ? 0 : (count + u) * HASH, HASH);
            sha.update((at & 1) == 0 ? hashes : node, (at & 1) == 0 ? (count + u) * HASH : 0, HASH);
            node = sha.digest();
            at >>>= 1;
        }
        return MessageDigest.isEqual(node, known) ? Arrays.copyOf(hashes, count * HASH) : null;
    }

    /** Requests that fetch the whole piece layer: 512 hashes each, proven up to the root. */
    public int pieceLayerChunks() {
        return pieces < 2 ? 0 : (pieces + MAX_ANSWER_LENGTH - 1) / MAX_ANSWER_LENGTH;
    }

    /**
     * Chunk {@code c} of the piece layer as a request: {base layer, index, length, proof layers},
     * the length a power of two that may run into the padding past the last piece (as libtorrent asks).
     */
    public int[] pieceLayerRequest(int c) {
        int index = c * MAX_ANSWER_LENGTH;
        int count = Math.max(2, Math.min(MAX_ANSWER_LENGTH, Integer.highestOneBit(pieces - index - 1) << 1));
        return new int[] {pieceLayer, index, count, height - pieceLayer - 1};
    }

    /**
     * The request for the leaf hashes of {@code piece}, proven by the piece hash (or by the root
     * for a one-piece file); null when a piece is one block, as its piece hash is then its leaf.
     */
    public int[] blockRequest(int piece) {
        if (pieces == 1) {
            return height == 0 ? null : new int[] {0, 0, 1 << height, height - 1};
        }
        return blocksPerPiece == 1 ? null : new int[] {0, piece * blocksPerPiece, blocksPerPiece, pieceLayer - 1};
    }

    /** The SHA-256 of each 16 KiB block of {@code piece} (the last block may be short): a piece's leaves. */
    public static byte[] leafHashes(ByteBuffer piece) {
        ByteBuffer data = piece.duplicate();
        int n = (data.remaining() + BLOCK - 1) / BLOCK;
        byte[] out = new byte[n * HASH];
        MessageDigest sha = Merkle.sha256();
        for (int i = 0; i < n; i++) {
            int end = Math.min(data.limit(), data.position() + BLOCK);
            ByteBuffer block = data.duplicate().limit(end);
            sha.update(block);
            System.arraycopy(sha.digest(), 0, out, i * HASH, HASH);
            data.position(end);
        }
        return out;
    }

    /** The hash of piece {@code p} from its leaf hashes, padded with zero leaves to a whole piece (or to a one-piece file's tree). */
    public byte[] pieceHashFromLeaves(byte[] leafHashes) {
        int width = pieces == 1 ? (int) (1L << height) : blocksPerPiece;
        return Merkle.root(leafHashes, leafHashes.length / HASH, width, new byte[HASH]);
    }

    /** Node {@code i} of a layer at or above the piece layer, from the piece layer; null if we have none. */
    private byte[] upperNode(int at, long i) {
        byte[][] up = upperLayers(); // also checks the layer against the root, once
        if (at == pieceLayer) {
            return i < pieces ? pieceHash((int) i) : Merkle.padHash(blocksPerPiece);
        }
        return Arrays.copyOfRange(up[at - pieceLayer - 1], (int) i * HASH, (int) (i + 1) * HASH);
    }

    private byte[][] upperLayers() {
        byte[][] up = upper;
        if (up != null) {
            return up;
        }
        synchronized (this) {
            if (upper != null) {
                return upper;
            }
            up = new byte[height - pieceLayer][];
            MessageDigest sha = Merkle.sha256();
            int w = (int) width(pieceLayer);
            byte[] below = Arrays.copyOf(layer, w * HASH);
            byte[] pad = Merkle.padHash(blocksPerPiece);
            for (int i = pieces; i < w; i++) {
                System.arraycopy(pad, 0, below, i * HASH, HASH);
            }
            for (int l = 0; l < up.length; l++) {
                w /= 2;
                byte[] level = new byte[w * HASH];
                for (int i = 0; i < w; i++) {
                    sha.update(below, 2 * i * HASH, 2 * HASH);
                    System.arraycopy(sha.digest(), 0, level, i * HASH, HASH);
                }
                up[l] = level;
                below = level;
            }
            if (!MessageDigest.isEqual(up[up.length - 1], root)) {
                throw new IllegalStateException("the piece layer does not hash up to the pieces root");
            }
            upper = up;
            return up;
        }
    }

    /** Nodes for one answer: upper ones from the piece layer, lower ones from one piece's leaves. */
    private final class Nodes {
        private final LeafSource source;
        private int loadedPiece = -1;
        private byte[] loaded;

        Nodes(LeafSource source) {
            this.source = source;
        }

        boolean copy(int at, long i, byte[] out, int offset) throws IOException {
            byte[] h = node(at, i);
            if (h == null) {
                return false;
            }
            System.arraycopy(h, 0, out, offset, HASH);
            return true;
        }

        private byte[] node(int at, long i) throws IOException {
            if (at == height) {
                return root;
            }
            long firstLeaf = i << at;
            if (firstLeaf >= blocks) {
                return Merkle.padHash(1L << at);
            }
            if (at >= pieceLayer) {
                return layer == null ? null : upperNode(at, i);
            }
            int p = (int) (firstLeaf / blocksPerPiece);
            if (p != loadedPiece) {
                loaded = source == null ? null : source.pieceLeaves(p);
                loadedPiece = p;
            }
            if (loaded == null) {
                return null;
            }
            int start = (int) (firstLeaf - (long) p * blocksPerPiece);
            int real = Math.min(1 << at, loaded.length / HASH - start);
            if (real <= 0) {
                return Merkle.padHash(1L << at);
            }
            byte[] slice = Arrays.copyOfRange(loaded, start * HASH, (start + real) * HASH);
            return Merkle.root(slice, real, 1 << at, new byte[HASH]);
        }
    }
}
