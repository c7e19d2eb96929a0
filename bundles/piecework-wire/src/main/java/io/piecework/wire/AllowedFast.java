package io.piecework.wire;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The BEP 6 canonical allowed-fast set for a peer. */
public final class AllowedFast {
    private AllowedFast() {
    }

    /**
     * @param k         pieces wanted in the set (capped at the piece count)
     * @param pieces    pieces in the torrent
     * @param infoHash  the torrent's 20-byte info-hash
     * @param ipv4      the peer's IPv4 address, 4 bytes
     * @return the set in generation order
     */
    public static int[] compute(int k, int pieces, byte[] infoHash, byte[] ipv4) {
        if (ipv4.length != 4 || infoHash.length != 20 || pieces < 0) {
            throw new IllegalArgumentException("needs a 4-byte IPv4 address, a 20-byte info-hash, pieces >= 0");
        }
        int want = Math.min(k, pieces);
        int[] set = new int[want];
        int n = 0;
        byte[] x = new byte[24];
        System.arraycopy(ipv4, 0, x, 0, 3); // the low octet is masked off: 0xFFFFFF00 & ip
        System.arraycopy(infoHash, 0, x, 4, 20);
        MessageDigest sha1 = sha1();
        while (n < want) {
            x = sha1.digest(x);
            for (int i = 0; i < 5 && n < want; i++) {
                long y = ((x[i * 4] & 0xffL) << 24) | ((x[i * 4 + 1] & 0xff) << 16)
                        | ((x[i * 4 + 2] & 0xff) << 8) | (x[i * 4 + 3] & 0xff);
                int index = (int) (y % pieces);
                if (!contains(set, n, index)) {
                    set[n++] = index;
                }
            }
        }
        return set;
    }

    private static boolean contains(int[] set, int n, int index) {
        for (int i = 0; i < n; i++) {
            if (set[i] == index) {
                return true;
            }
        }
        return false;
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
