package io.piecework.core.internal;

import java.util.Arrays;

/**
 * The blocks of one piece being downloaded: which arrived, how many
 * requests are out for each, and which peers sent its blocks (to blame them if it fails).
 * Instances are recycled by {@link PieceTracker}; guarded by the torrent's lock.
 */
final class PartialPiece {
    private static final long[] NO_LONGS = new long[0];
    int piece = -1;
    int blocks;
    int received;
    // Sized by the piece's blocks in reset (16 for a 256 KiB piece), grown only for a larger
    // piece: a fixed 256 kept 2.3 KiB per piece, about 9 KiB per idle torrent of 4 pieces.
    long[] receivedBits = NO_LONGS;
    byte[] inFlight = new byte[0];
    long[] contributors = new long[4];
    /** Who sent each received block: with v2 block hashes a bad block is blamed on its sender alone. */
    long[] senders = NO_LONGS;
    int contributorCount;

    void reset(int piece, int blocks) {
        this.piece = piece;
        this.blocks = blocks;
        this.received = 0;
        int words = (blocks + 63) >>> 6;
        if (receivedBits.length < words) {
            receivedBits = new long[words];
        } else {
            Arrays.fill(receivedBits, 0, words, 0L);
        }
        if (inFlight.length < blocks) {
            inFlight = new byte[blocks];
        } else {
            Arrays.fill(inFlight, 0, blocks, (byte) 0);
        }
        if (senders.length < blocks) {
            senders = new long[blocks];
        }
        contributorCount = 0;
    }

    boolean isReceived(int block) {
        return (receivedBits[block >>> 6] & (1L << block)) != 0;
    }

    void markReceived(int block) {
        receivedBits[block >>> 6] |= 1L << block;
        received++;
    }

    void unmarkReceived(int block) {
        receivedBits[block >>> 6] &= ~(1L << block);
        received--;
    }

    boolean allReceived() {
        return received == blocks;
    }

    void addContributor(long peerId) {
        for (int i = 0; i < contributorCount; i++) {
            if (contributors[i] == peerId) {
                return;
            }
        }
        if (contributorCount == contributors.length) {
            contributors = Arrays.copyOf(contributors, contributorCount * 2);
        }
        contributors[contributorCount++] = peerId;
    }
}
