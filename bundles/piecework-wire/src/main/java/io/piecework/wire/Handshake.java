package io.piecework.wire;

import io.piecework.api.metainfo.InfoHash;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The BEP 3 handshake: protocol string, 8 reserved bytes, info-hash, peer id.
 *
 * @param reserved 8 bytes; bits announce the extension protocol (BEP 10), the fast
 *                 extension (BEP 6) and DHT (BEP 5)
 */
public record Handshake(byte[] reserved, InfoHash infoHash, PeerId peerId) {
    public static final int LENGTH = 68;
    static final byte[] PROTOCOL = "BitTorrent protocol".getBytes(StandardCharsets.US_ASCII);

    public Handshake {
        if (reserved.length != 8) {
            throw new IllegalArgumentException("reserved is 8 bytes, got " + reserved.length);
        }
        reserved = reserved.clone();
    }

    /** Reserved bits with the extension protocol, the fast extension and DHT announced. */
    public static byte[] ourReserved(boolean dht) {
        return ourReserved(dht, false);
    }

    /** As {@link #ourReserved(boolean)}, and for a v2 or hybrid torrent the BEP 52 v2 bit. */
    public static byte[] ourReserved(boolean dht, boolean v2) {
        byte[] r = new byte[8];
        r[5] |= 0x10;
        r[7] |= 0x04;
        if (dht) {
            r[7] |= 0x01;
        }
        if (v2) {
            r[7] |= 0x10;
        }
        return r;
    }

    @Override
    public byte[] reserved() {
        return reserved.clone();
    }

    /** BEP 10: reserved[5] & 0x10. */
    public boolean supportsExtensions() {
        return (reserved[5] & 0x10) != 0;
    }

    /** BEP 6: reserved[7] & 0x04. */
    public boolean supportsFast() {
        return (reserved[7] & 0x04) != 0;
    }

    /** BEP 52: reserved[7] & 0x10, the peer speaks v2 for torrents that have it. */
    public boolean supportsV2() {
        return (reserved[7] & 0x10) != 0;
    }

    /** BEP 5: reserved[7] & 0x01. */
    public boolean supportsDht() {
        return (reserved[7] & 0x01) != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Handshake h && Arrays.equals(reserved, h.reserved)
                && infoHash.equals(h.infoHash) && peerId.equals(h.peerId);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(reserved) + infoHash.hashCode()) + peerId.hashCode();
    }

    @Override
    public String toString() {
        return "Handshake[reserved=" + HexFormat.of().formatHex(reserved) + ", infoHash=" + infoHash
                + ", peerId=" + peerId + "]";
    }
}
