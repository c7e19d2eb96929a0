package io.piecework.wire;

import java.util.Arrays;

/**
 * A BEP 52 {@code hashes} message: the answer to {@code request}, its {@code length} base-layer
 * hashes followed by {@link HashRequest#uncleCount()} uncle hashes, lowest first, 32 bytes each.
 * The decoder has checked that the count matches the request fields; whether the hashes prove
 * anything is checked against the file's pieces root by the engine.
 */
public record HashesMessage(HashRequest request, byte[] hashes) {
    public HashesMessage {
        long expected = ((long) request.length() + request.uncleCount()) * HashMessages.HASH;
        if (hashes.length != expected) {
            throw new IllegalArgumentException("hashes for " + request + " need " + expected + " bytes, not "
                    + hashes.length);
        }
        hashes = hashes.clone();
    }

    @Override
    public byte[] hashes() {
        return hashes.clone();
    }

    /** Hash {@code i} (0 the first base hash; from {@code request.length()} on, the uncles). */
    public byte[] hash(int i) {
        return Arrays.copyOfRange(hashes, i * HashMessages.HASH, (i + 1) * HashMessages.HASH);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HashesMessage m && request.equals(m.request) && Arrays.equals(hashes, m.hashes);
    }

    @Override
    public int hashCode() {
        return request.hashCode() * 31 + Arrays.hashCode(hashes);
    }

    @Override
    public String toString() {
        return "hashes (" + request + ", " + hashes.length / HashMessages.HASH + " hashes)";
    }
}
