package io.piecework.api.metainfo;

import io.piecework.api.text.Untrusted;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A BEP 52 v2 info-hash: the SHA-256 of a torrent's bencoded {@code info} dictionary. The
 * handshake, trackers and the DHT carry only its first 20 bytes ({@link #truncated()}).
 */
public final class InfoHashV2 implements Comparable<InfoHashV2> {
    public static final int LENGTH = 32;
    private final byte[] bytes;

    private InfoHashV2(byte[] bytes) {
        this.bytes = bytes;
    }

    public static InfoHashV2 of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a v2 info-hash has 32 bytes, got " + bytes.length);
        }
        return new InfoHashV2(bytes.clone());
    }

    /** Parses 64 hex digits. */
    public static InfoHashV2 parse(String text) {
        if (text.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("a v2 info-hash must be 64 hex digits, got " + text.length()
                    + " characters");
        }
        try {
            return new InfoHashV2(HexFormat.of().parseHex(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("v2 info-hash '" + Untrusted.text(text, 80) + "' is not 64 hex digits");
        }
    }

    /** The first 20 bytes: what a v2 torrent is known by on the wire, at trackers and in the DHT. */
    public InfoHash truncated() {
        return InfoHash.of(Arrays.copyOf(bytes, InfoHash.LENGTH));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public int compareTo(InfoHashV2 o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InfoHashV2 other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
