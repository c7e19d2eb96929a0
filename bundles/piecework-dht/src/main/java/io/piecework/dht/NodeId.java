package io.piecework.dht;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Random;

/**
 * A 160-bit DHT id (node ids, info-hashes as targets) held as three words, so XOR distance,
 * comparison and common prefixes are a few long operations; distance compares unsigned.
 */
public final class NodeId {
    public static final int LENGTH = 20;
    public static final int BITS = 160;
    private final long high;
    private final long middle;
    private final int low;

    private NodeId(long high, long middle, int low) {
        this.high = high;
        this.middle = middle;
        this.low = low;
    }

    public static NodeId of(byte[] twentyBytes) {
        if (twentyBytes.length != LENGTH) {
            throw new IllegalArgumentException("a node id has 20 bytes, got " + twentyBytes.length);
        }
        ByteBuffer b = ByteBuffer.wrap(twentyBytes);
        return new NodeId(b.getLong(), b.getLong(), b.getInt());
    }

    public static NodeId random(Random random) {
        return new NodeId(random.nextLong(), random.nextLong(), random.nextInt());
    }

    public byte[] bytes() {
        return ByteBuffer.allocate(LENGTH).putLong(high).putLong(middle).putInt(low).array();
    }

    /** Compares the distances of {@code a} and {@code b} to this id: negative when {@code a} is closer. */
    public int closer(NodeId a, NodeId b) {
        int c = Long.compareUnsigned(a.high ^ high, b.high ^ high);
        if (c == 0) {
            c = Long.compareUnsigned(a.middle ^ middle, b.middle ^ middle);
        }
        return c != 0 ? c : Integer.compareUnsigned(a.low ^ low, b.low ^ low);
    }

    /** How many leading bits this id shares with {@code other} (160 when equal). */
    public int commonPrefix(NodeId other) {
        if (high != other.high) {
            return Long.numberOfLeadingZeros(high ^ other.high);
        }
        if (middle != other.middle) {
            return 64 + Long.numberOfLeadingZeros(middle ^ other.middle);
        }
        return 128 + Integer.numberOfLeadingZeros(low ^ other.low); // 32 more when equal
    }

    /** A random id that shares exactly {@code prefix} leading bits with this one (prefix < 160). */
    public NodeId randomWithPrefix(int prefix, Random random) {
        NodeId r = random(random);
        return new NodeId(pick(high, r.high, prefix), pick(middle, r.middle, prefix - 64), (int) (pick(
                (long) low << 32, (long) r.low << 32, prefix - 128) >>> 32));
    }

    /** Keeps {@code mine}'s first {@code bits} bits, flips the next one, random after it. */
    private static long pick(long mine, long random, int bits) {
        if (bits < 0) {
            return random;
        }
        if (bits >= 64) {
            return mine;
        }
        long keep = bits == 0 ? 0 : -1L << (64 - bits);
        long flip = 1L << (63 - bits);
        return (mine & keep) | (~mine & flip) | (random & ~keep & ~flip);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId n && n.high == high && n.middle == middle && n.low == low;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(high) * 31 + Long.hashCode(middle) * 17 + low;
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes());
    }
}
