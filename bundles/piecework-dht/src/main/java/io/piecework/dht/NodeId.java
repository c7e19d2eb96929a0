package io.piecework.dht;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/** A 160-bit DHT id (node ids, info-hashes as targets); distance is XOR, compared unsigned. */
public final class NodeId {
    public static final int LENGTH = 20;
    public static final int BITS = 160;
    private final byte[] bytes;

    private NodeId(byte[] bytes) {
        this.bytes = bytes;
    }

    public static NodeId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a node id has 20 bytes, got " + bytes.length);
        }
        return new NodeId(bytes.clone());
    }

    public static NodeId random(Random random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return new NodeId(b);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** Compares the distances of {@code a} and {@code b} to this id: negative when {@code a} is closer. */
    public int closer(NodeId a, NodeId b) {
        for (int i = 0; i < LENGTH; i++) {
            int da = (a.bytes[i] ^ bytes[i]) & 0xff;
            int db = (b.bytes[i] ^ bytes[i]) & 0xff;
            if (da != db) {
                return da - db;
            }
        }
        return 0;
    }

    /** How many leading bits this id shares with {@code other} (160 when equal). */
    public int commonPrefix(NodeId other) {
        for (int i = 0; i < LENGTH; i++) {
            int x = (bytes[i] ^ other.bytes[i]) & 0xff;
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return BITS;
    }

    /** A random id that shares exactly {@code prefix} leading bits with this one (prefix < 160). */
    public NodeId randomWithPrefix(int prefix, Random random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        for (int bit = 0; bit <= prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            int mine = bytes[bit / 8] & mask;
            int want = bit == prefix ? mine ^ mask : mine;
            b[bit / 8] = (byte) ((b[bit / 8] & ~mask) | want);
        }
        return new NodeId(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
