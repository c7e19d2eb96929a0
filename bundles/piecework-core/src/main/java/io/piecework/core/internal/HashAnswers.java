package io.piecework.core.internal;

import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.V2Files;
import io.piecework.metainfo.FileMerkleTree;
import io.piecework.transport.PeerConnection;
import io.piecework.wire.HashRequest;
import io.piecework.wire.HashesMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers peers' BEP 52 hash requests for a v2 or hybrid torrent: hashes at or above a file's
 * piece layer come from memory (the layers of the .torrent) on the connection's thread; block
 * hashes are hashed from a verified piece on the disk pool. Whatever cannot be answered (an
 * unknown pieces root, a range outside the tree, more than 512 hashes, block hashes of a piece
 * we lack, a peer over its budget or not reading what we send) gets a {@code hash reject}, as
 * BEP 52 requires an answer to every request.
 */
final class HashAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(HashAnswers.class);
    /** Hash requests a peer may make at once, and how fast its budget refills (libtorrent asks one per 512 pieces). */
    static final int BURST = 64;
    static final long REFILL_NANOS = 50_000_000L;

    /** Reads a whole verified piece (the file's part of it) into {@code into}. */
    interface PieceReader {
        void read(int piece, ByteBuffer into) throws Exception;
    }

    /** One v2 file: its tree, its pieces root, and where its pieces start among the torrent's. */
    record FileTree(FileMerkleTree tree, byte[] root, int firstPiece, long length) {
    }

    private final Map<ByteBuffer, FileTree> byRoot = new HashMap<>();
    /** The files in piece order, to find the file of a piece. */
    private final java.util.ArrayList<FileTree> inOrder = new java.util.ArrayList<>();
    private final int pieceLength;
    private final IntPredicate verified;
    private final PieceReader reader;
    private final Executor disk;

    /** For a v1 torrent it knows no root and rejects every request. */
    HashAnswers(TorrentMetainfo metainfo, IntPredicate verified, PieceReader reader, Executor disk) {
        this.pieceLength = (int) metainfo.pieceLength();
        this.verified = verified;
        this.reader = reader;
        this.disk = disk;
        V2Files v2 = metainfo.v2Files().orElse(null);
        if (v2 == null) {
            return;
        }
        List<FileEntry> files = metainfo.files();
        for (int i = 0; i < files.size(); i++) {
            byte[] root = v2.root(i);
            if (root == null) {
                continue;
            }
            ByteBuffer layer = v2.layer(i);
            byte[] layerBytes = null;
            if (layer != null) {
                layerBytes = new byte[layer.remaining()];
                layer.get(layerBytes);
            }
            FileEntry f = files.get(i);
            FileTree tree = new FileTree(new FileMerkleTree(f.length(), pieceLength, root, layerBytes), root,
                    (int) (f.offset() / pieceLength), f.length());
            byRoot.putIfAbsent(ByteBuffer.wrap(root), tree);
            inOrder.add(tree);
        }
    }

    /** The v2 file that torrent piece {@code piece} belongs to, or null (a v1 torrent, a pad). */
    FileTree fileAt(int piece) {
        for (FileTree f : inOrder) { // few files per torrent; only asked when a piece fails
            if (piece >= f.firstPiece && piece < f.firstPiece + f.tree.pieceCount()) {
                return f;
            }
        }
        return null;
    }

    /** The leaf hashes of the file's piece {@code p} as they are on disk now, verified or not. */
    byte[] leavesOnDisk(FileTree file, int p) throws IOException {
        int size = (int) Math.min(pieceLength, file.length - (long) p * pieceLength);
        ByteBuffer data = ByteBuffer.allocate(size);
        try {
            reader.read(file.firstPiece + p, data);
        } catch (Exception e) {
            throw new IOException("cannot read piece " + (file.firstPiece + p) + ": " + e.getMessage(), e);
        }
        return FileMerkleTree.leafHashes(data.flip());
    }

    /** A peer's allowance of hash requests: {@link #BURST} at once, one more every {@link #REFILL_NANOS}. */
    static final class Budget {
        private long tokens = BURST;
        private long refilledAt = Long.MIN_VALUE;

        synchronized boolean take(long now) {
            if (refilledAt == Long.MIN_VALUE) {
                refilledAt = now;
            }
            long earned = (now - refilledAt) / REFILL_NANOS;
            if (earned > 0) {
                tokens = Math.min(BURST, tokens + earned);
                refilledAt += earned * REFILL_NANOS;
            }
            if (tokens == 0) {
                return false;
            }
            tokens--;
            return true;
        }
    }

    /** On the connection's thread: answers or rejects {@code r}, maybe later from the disk pool. */
    void requested(PeerConnection peer, Budget budget, HashRequest r, long now) {
        FileTree file = byRoot.get(ByteBuffer.wrap(r.piecesRoot()));
        if (file == null || !budget.take(now) || !peer.isWritable()) {
            peer.hashReject(r);
            return;
        }
        FileMerkleTree tree = file.tree;
        if (r.baseLayer() >= tree.pieceLayer() && tree.pieceCount() > 1) {
            answer(peer, r, tree, null); // from the piece layer in memory
            return;
        }
        if (tree.invalid(r.baseLayer(), r.index(), r.length(), r.proofLayers()) != null) {
            peer.hashReject(r);
            return;
        }
        int piece = (int) (((long) r.index() << r.baseLayer()) / (pieceLength / FileMerkleTree.BLOCK));
        if (!verified.test(file.firstPiece + piece)) {
            peer.hashReject(r);
            return;
        }
        try {
            disk.execute(() -> answer(peer, r, tree, p -> leaves(file, p)));
        } catch (RejectedExecutionException stopping) {
            peer.hashReject(r);
        }
    }

    private void answer(PeerConnection peer, HashRequest r, FileMerkleTree tree, FileMerkleTree.LeafSource leaves) {
        byte[] hashes;
        try {
            hashes = tree.answer(r.baseLayer(), r.index(), r.length(), r.proofLayers(), leaves);
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot answer {}: {}", r, e.toString());
            hashes = null;
        }
        if (hashes == null) {
            peer.hashReject(r);
        } else {
            peer.hashes(new HashesMessage(r, hashes));
        }
    }

    /** The leaf hashes of the file's piece {@code p}, read from a verified piece on disk. */
    private byte[] leaves(FileTree file, int p) throws IOException {
        return verified.test(file.firstPiece + p) ? leavesOnDisk(file, p) : null;
    }
}
