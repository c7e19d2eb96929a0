package io.piecework.metainfo;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * BEP 52 Merkle trees: SHA-256 over 16 KiB blocks, the leaves padded with zero hashes to a
 * power of two. A file's piece layer is the level whose nodes each cover one piece; padding
 * there stands for whole pieces of zero-hash leaves.
 */
final class Merkle {
    static final int BLOCK = 16 << 10;
    static final int HASH = 32;

    private Merkle() {
    }

    /**
     * The root over {@code count} concatenated hashes, padding the level to a power of two
     * with {@code pad} (the hash of an all-padding subtree of the nodes' height). Works in
     * place on one copy: each level overwrites the front of the one below.
     */
    static byte[] root(byte[] hashes, int count, byte[] pad) {
        return root(hashes, count, 1, pad);
    }

    /** As {@link #root(byte[], int, byte[])}, padding to at least {@code minWidth} (a power of two) nodes. */
    static byte[] root(byte[] hashes, int count, int minWidth, byte[] pad) {
        int width = Math.max(minWidth, Integer.highestOneBit(Math.max(1, count - 1)) << (count > 1 ? 1 : 0));
        byte[] level = Arrays.copyOf(hashes, width * HASH);
        for (int i = count; i < width; i++) {
            System.arraycopy(pad, 0, level, i * HASH, HASH);
        }
        MessageDigest sha = sha256();
        for (int n = width; n > 1; n /= 2) {
            for (int i = 0; i < n / 2; i++) {
                sha.update(level, 2 * i * HASH, 2 * HASH);
                digestInto(sha, level, i * HASH);
            }
        }
        return Arrays.copyOf(level, HASH);
    }

    /** The hash of a subtree of {@code leaves} zero-hash leaves ({@code leaves} a power of two). */
    static byte[] padHash(long leaves) {
        MessageDigest sha = sha256();
        byte[] h = new byte[HASH];
        for (long n = leaves; n > 1; n /= 2) {
            h = parent(sha, h, h);
        }
        return h;
    }

    /** A file's pieces root from its piece layer ({@code count} piece hashes). */
    static byte[] rootFromLayer(byte[] layer, int count, long pieceLength) {
        return root(layer, count, padHash(pieceLength / BLOCK));
    }

    private static byte[] parent(MessageDigest sha, byte[] left, byte[] right) {
        sha.update(left);
        sha.update(right);
        return sha.digest();
    }

    private static void digestInto(MessageDigest sha, byte[] out, int offset) {
        try {
            sha.digest(out, offset, HASH);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
