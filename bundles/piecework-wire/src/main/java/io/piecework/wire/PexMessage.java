package io.piecework.wire;

import io.piecework.bencode.BDictionary;
import io.piecework.bencode.BString;
import io.piecework.bencode.BValue;
import io.piecework.bencode.Bencode;
import io.piecework.bencode.BencodeException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A BEP 11 {@code ut_pex} message: peers added and dropped since the last one, IPv4 and
 * IPv6, with one flags byte per added peer.
 */
public record PexMessage(List<InetSocketAddress> added, byte[] addedFlags, List<InetSocketAddress> dropped,
                         List<InetSocketAddress> added6, byte[] added6Flags, List<InetSocketAddress> dropped6) {
    public static final int FLAG_ENCRYPTION = 0x01;
    public static final int FLAG_SEED = 0x02;
    public static final int FLAG_UTP = 0x04;
    public static final int FLAG_HOLEPUNCH = 0x08;
    public static final int FLAG_CONNECTABLE = 0x10;

    public PexMessage {
        added = List.copyOf(added);
        dropped = List.copyOf(dropped);
        added6 = List.copyOf(added6);
        dropped6 = List.copyOf(dropped6);
        addedFlags = addedFlags.clone();
        added6Flags = added6Flags.clone();
    }

    public byte[] encode() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("added", compact(added, 4));
        d.put("added.f", addedFlags);
        d.put("dropped", compact(dropped, 4));
        if (!added6.isEmpty() || !dropped6.isEmpty()) {
            d.put("added6", compact(added6, 16));
            d.put("added6.f", added6Flags);
            d.put("dropped6", compact(dropped6, 16));
        }
        return Bencode.encodeObject(d);
    }

    public static PexMessage decode(ByteBuffer payload) throws WireException {
        BValue value;
        try {
            value = Bencode.decode(payload, ExtendedHandshake.LIMITS);
        } catch (BencodeException e) {
            throw new WireException("ut_pex message is not bencode: " + e.getMessage(), e);
        }
        if (!(value instanceof BDictionary d)) {
            throw new WireException("ut_pex message is not a dictionary");
        }
        return new PexMessage(peers(d, "added", 4), flags(d, "added.f"), peers(d, "dropped", 4),
                peers(d, "added6", 16), flags(d, "added6.f"), peers(d, "dropped6", 16));
    }

    private static byte[] compact(List<InetSocketAddress> peers, int addressLength) {
        ByteBuffer out = ByteBuffer.allocate(peers.size() * (addressLength + 2));
        for (InetSocketAddress peer : peers) {
            byte[] a = peer.getAddress().getAddress();
            if (a.length == 4 && addressLength == 16) {
                // decode() turns an IPv4-mapped entry of added6 into the IPv4 peer it denotes
                // (InetAddress does); write it back mapped, so what decode() returns re-encodes.
                a = mapped(a);
            }
            if (a.length != addressLength) {
                throw new IllegalArgumentException(peer + " is not an IPv" + (addressLength == 4 ? 4 : 6) + " address");
            }
            out.put(a).putShort((short) peer.getPort());
        }
        return out.array();
    }

    private static byte[] mapped(byte[] ipv4) {
        byte[] a = new byte[16];
        a[10] = (byte) 0xff;
        a[11] = (byte) 0xff;
        System.arraycopy(ipv4, 0, a, 12, 4);
        return a;
    }

    private static List<InetSocketAddress> peers(BDictionary d, String key, int addressLength) throws WireException {
        BString s = d.string(key).orElse(null);
        if (s == null) {
            return List.of();
        }
        int entry = addressLength + 2;
        if (s.length() % entry != 0) {
            throw new WireException("ut_pex '" + key + "' of " + s.length() + " bytes is not a multiple of " + entry);
        }
        ByteBuffer b = s.buffer();
        List<InetSocketAddress> out = new ArrayList<>(s.length() / entry);
        byte[] a = new byte[addressLength];
        while (b.hasRemaining()) {
            b.get(a);
            int port = b.getShort() & 0xffff;
            try {
                out.add(new InetSocketAddress(InetAddress.getByAddress(a), port));
            } catch (UnknownHostException e) {
                throw new AssertionError("fixed-length address rejected", e);
            }
        }
        return out;
    }

    private static byte[] flags(BDictionary d, String key) {
        return d.string(key).map(BString::bytes).orElse(new byte[0]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PexMessage p && added.equals(p.added) && Arrays.equals(addedFlags, p.addedFlags)
                && dropped.equals(p.dropped) && added6.equals(p.added6) && Arrays.equals(added6Flags, p.added6Flags)
                && dropped6.equals(p.dropped6);
    }

    @Override
    public int hashCode() {
        return added.hashCode() * 31 + dropped.hashCode();
    }
}
