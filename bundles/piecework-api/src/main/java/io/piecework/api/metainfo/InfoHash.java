package io.piecework.api.metainfo;

import io.piecework.api.text.Untrusted;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/** A v1 info-hash: the SHA-1 of a torrent's bencoded {@code info} dictionary. */
public final class InfoHash implements Comparable<InfoHash> {
    public static final int LENGTH = 20;
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private final byte[] bytes;

    private InfoHash(byte[] bytes) {
        this.bytes = bytes;
    }

    public static InfoHash of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("an info-hash has 20 bytes, got " + bytes.length);
        }
        return new InfoHash(bytes.clone());
    }

    /** Parses 40 hex digits or 32 base32 characters (both forms appear in magnet links). */
    public static InfoHash parse(String text) {
        if (text.length() == 40) {
            try {
                return new InfoHash(HexFormat.of().parseHex(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("info-hash '" + Untrusted.text(text, 80) + "' is not 40 hex digits");
            }
        }
        if (text.length() == 32) {
            return new InfoHash(base32(text.toUpperCase(Locale.ROOT)));
        }
        throw new IllegalArgumentException("info-hash must be 40 hex or 32 base32 characters, got "
                + text.length());
    }

    private static byte[] base32(String text) {
        byte[] out = new byte[LENGTH];
        long buffer = 0;
        int bits = 0;
        int o = 0;
        for (int i = 0; i < text.length(); i++) {
            int v = BASE32.indexOf(text.charAt(i));
            if (v < 0) {
                throw new IllegalArgumentException("info-hash '" + Untrusted.text(text, 80)
                        + "' is not valid base32 at position " + i);
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                out[o++] = (byte) (buffer >>> bits);
            }
        }
        return out;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    public String base32() {
        StringBuilder sb = new StringBuilder(32);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                sb.append(BASE32.charAt((buffer >>> bits) & 31));
            }
        }
        return sb.toString();
    }

    @Override
    public int compareTo(InfoHash o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InfoHash other && Arrays.equals(bytes, other.bytes);
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
