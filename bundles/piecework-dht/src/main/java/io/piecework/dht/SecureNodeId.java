package io.piecework.dht;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.CRC32C;

/**
 * BEP 42: a node id tied to the node's external address, so whoever wants to surround an
 * info-hash with 8 nodes must control addresses near it, not merely pick ids. The first 21 bits
 * of the id come from CRC32C of the masked address with a 3-bit random {@code r}; the last byte
 * carries {@code r}. Local addresses are exempt: there an id proves nothing.
 */
public final class SecureNodeId {
    private static final byte[] MASK4 = {0x03, 0x0f, 0x3f, (byte) 0xff};
    private static final byte[] MASK6 = {0x01, 0x03, 0x07, 0x0f, 0x1f, 0x3f, 0x7f, (byte) 0xff};

    private SecureNodeId() {
    }

    /** A fresh id that {@link #matches} {@code external}. */
    public static NodeId generate(InetAddress external, Random random) {
        int last = random.nextInt(256);
        byte[] id = new byte[NodeId.LENGTH];
        random.nextBytes(id);
        int crc = prefix(external, last & 7);
        id[0] = (byte) (crc >>> 24);
        id[1] = (byte) (crc >>> 16);
        id[2] = (byte) ((crc >>> 8) & 0xf8 | id[2] & 0x07);
        id[19] = (byte) last;
        return NodeId.of(id);
    }

    /** Whether {@code id} is one that {@code address} may use; always true for an exempt address. */
    public static boolean matches(NodeId id, InetAddress address) {
        if (exempt(address)) {
            return true;
        }
        byte[] b = id.bytes();
        int crc = prefix(address, b[19] & 7);
        return b[0] == (byte) (crc >>> 24) && b[1] == (byte) (crc >>> 16)
                && (b[2] & 0xf8) == ((crc >>> 8) & 0xf8);
    }

    /**
     * The addresses BEP 42 exempts (10/8, 172.16/12, 192.168/16, 169.254/16, 127/8) and their
     * IPv6 kin (loopback, link-local, unique local), plus the unspecified address.
     */
    public static boolean exempt(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress()) {
            return true; // 127/8, 169.254/16, 10/8 + 172.16/12 + 192.168/16; ::1, fe80::/10, fec0::/10
        }
        byte[] a = address.getAddress();
        return a.length == 16 && (a[0] & 0xfe) == 0xfc; // fc00::/7
    }

    private static int prefix(InetAddress address, int r) {
        byte[] a = address.getAddress();
        boolean v4 = address instanceof Inet4Address;
        byte[] mask = v4 ? MASK4 : MASK6;
        ByteBuffer masked = ByteBuffer.allocate(mask.length);
        for (int i = 0; i < mask.length; i++) {
            masked.put((byte) (a[i] & mask[i]));
        }
        masked.put(0, (byte) (masked.get(0) | r << 5));
        CRC32C crc = new CRC32C();
        crc.update(masked.array());
        return (int) crc.getValue();
    }
}
