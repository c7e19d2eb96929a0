package io.piecework.wire;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The payload of a BEP 52 {@code hash request} and of a {@code hash reject}: which hashes of
 * the Merkle tree of the file with {@code piecesRoot} are wanted. {@code baseLayer} counts
 * layers above the 16 KiB block leaves (0 the leaves), {@code index} is the first wanted hash
 * in that layer, {@code length} how many (a power of two, at least 2, {@code index} a multiple
 * of it) and {@code proofLayers} how many layers of ancestors the answer proves them by.
 * {@link HashMessages#decodeRequest} checks these rules; a tree's own bounds (is there such a
 * layer, such an index) are for whoever holds the tree.
 */
public record HashRequest(byte[] piecesRoot, int baseLayer, int index, int length, int proofLayers) {
    public HashRequest {
        if (piecesRoot.length != HashMessages.HASH) {
            throw new IllegalArgumentException("a pieces root has 32 bytes, not " + piecesRoot.length);
        }
        piecesRoot = piecesRoot.clone();
    }

    @Override
    public byte[] piecesRoot() {
        return piecesRoot.clone();
    }

    /** log2 of {@link #length}: the layers above the base that the requested hashes fill themselves. */
    public int lengthLayers() {
        return Integer.numberOfTrailingZeros(length);
    }

    /**
     * The uncle hashes a {@code hashes} answer carries after the {@code length} base hashes:
     * BEP 52 omits the first log2(length) - 1 proof layers, which the base hashes already give.
     */
    public int uncleCount() {
        return Math.max(0, proofLayers - lengthLayers() + 1);
    }

    /** Whether {@code other} asks for the same hashes of the same file (a reject or answer matches its request). */
    public boolean sameAs(HashRequest other) {
        return equals(other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HashRequest r && Arrays.equals(piecesRoot, r.piecesRoot) && baseLayer == r.baseLayer
                && index == r.index && length == r.length && proofLayers == r.proofLayers;
    }

    @Override
    public int hashCode() {
        return ((Arrays.hashCode(piecesRoot) * 31 + baseLayer) * 31 + index) * 31 + length * 7 + proofLayers;
    }

    @Override
    public String toString() {
        return "hash request " + HexFormat.of().formatHex(piecesRoot, 0, 8) + "… base " + baseLayer + " index "
                + index + " length " + length + " proof " + proofLayers;
    }
}
