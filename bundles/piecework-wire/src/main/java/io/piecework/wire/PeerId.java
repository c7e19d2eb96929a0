package io.piecework.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/** A 20-byte peer id. Ours are Azureus style: {@code -PW0001-} followed by 12 random characters. */
public final class PeerId {
    public static final int LENGTH = 20;
    /** Client prefix: PW = Piecework, version 0.0.0.1. */
    public static final String CLIENT_PREFIX = "-PW0001-";
    private static final byte[] ALPHABET =
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".getBytes(StandardCharsets.US_ASCII);
    private final byte[] bytes;

    private PeerId(byte[] bytes) {
        this.bytes = bytes;
    }

    public static PeerId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a peer id has 20 bytes, got " + bytes.length);
        }
        return new PeerId(bytes.clone());
    }

    /** A fresh id with our client prefix; printable so it reads well in logs and trackers. */
    public static PeerId generate(Random random) {
        return generate(CLIENT_PREFIX, random);
    }

    public static PeerId generate(String prefix, Random random) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        if (p.length > LENGTH) {
            throw new IllegalArgumentException("prefix longer than 20 bytes: " + prefix);
        }
        byte[] id = Arrays.copyOf(p, LENGTH);
        for (int i = p.length; i < LENGTH; i++) {
            id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new PeerId(id);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** The Azureus-style client prefix ({@code -XX1234-}) if the id has one, else empty. */
    public String clientPrefix() {
        if (bytes[0] == '-' && bytes[7] == '-') {
            return new String(bytes, 0, 8, StandardCharsets.ISO_8859_1);
        }
        return "";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        String prefix = clientPrefix();
        return prefix.isEmpty() ? HexFormat.of().formatHex(bytes) : prefix + HexFormat.of().formatHex(bytes, 8, LENGTH);
    }
}
