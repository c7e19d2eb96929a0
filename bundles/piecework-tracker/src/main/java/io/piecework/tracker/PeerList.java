package io.piecework.tracker;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Collects peers up to a bound, dropping duplicates and port 0. */
final class PeerList {
    private final int max;
    private final Set<InetSocketAddress> peers = new LinkedHashSet<>();

    PeerList(int max) {
        this.max = max;
    }

    boolean full() {
        return peers.size() >= max;
    }

    void add(byte[] address, int port) {
        if (port == 0 || full()) {
            return;
        }
        try {
            // getByAddress never resolves a name.
            peers.add(new InetSocketAddress(InetAddress.getByAddress(address), port));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e); // only for a wrong length, which callers rule out
        }
    }

    /** Reads compact entries (4 or 16 address bytes, then a big-endian port) until the buffer ends. */
    void addCompact(ByteBuffer in, int addressLength) {
        int stride = addressLength + 2;
        while (in.remaining() >= stride && !full()) {
            byte[] a = new byte[addressLength];
            in.get(a);
            add(a, in.getShort() & 0xffff);
        }
    }

    List<InetSocketAddress> toList() {
        return new ArrayList<>(peers);
    }

    /**
     * Parses a literal IPv4 or IPv6 address, never a host name: a tracker must not make us
     * resolve names it chose. Returns null for anything else.
     */
    static byte[] literal(String text) {
        if (text.isEmpty() || text.length() > 45) {
            return null;
        }
        if (text.indexOf(':') >= 0) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                    return null;
                }
            }
            try {
                // A string containing ':' is only ever parsed as a literal, never looked up.
                return InetAddress.getByName(text).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3) {
                return null;
            }
            int v = 0;
            for (int j = 0; j < p.length(); j++) {
                char c = p.charAt(j);
                if (c < '0' || c > '9') {
                    return null;
                }
                v = v * 10 + (c - '0');
            }
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }
}
