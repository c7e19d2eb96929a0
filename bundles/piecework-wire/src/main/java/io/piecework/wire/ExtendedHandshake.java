package io.piecework.wire;

import io.piecework.bencode.BDictionary;
import io.piecework.bencode.BInteger;
import io.piecework.bencode.BString;
import io.piecework.bencode.BValue;
import io.piecework.bencode.Bencode;
import io.piecework.bencode.BencodeException;
import io.piecework.bencode.BencodeLimits;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The BEP 10 extended handshake (extended message id 0). Absent integers are 0 (or -1 for
 * {@code metadata_size}), absent strings null.
 *
 * @param m            extension name to the id the sender wants to receive it under; 0 disables
 * @param v            client name and version
 * @param p            the sender's listen port
 * @param reqq         how many outstanding requests the sender queues
 * @param metadataSize size of the info dictionary (BEP 9)
 * @param yourip       the receiver's address as the sender sees it (4 or 16 bytes)
 * @param ipv4         the sender's IPv4 address
 * @param ipv6         the sender's IPv6 address
 */
public record ExtendedHandshake(Map<String, Integer> m, String v, int p, int reqq, long metadataSize,
                                byte[] yourip, byte[] ipv4, byte[] ipv6) {
    static final BencodeLimits LIMITS = new BencodeLimits(8, 1 << 20, 1 << 20, 4096);

    public ExtendedHandshake {
        m = Collections.unmodifiableMap(new TreeMap<>(m));
    }

    /** Our handshake: the local ids of {@link Extensions}, our port and queue depth. */
    public static ExtendedHandshake ours(String client, int port, int reqq, long metadataSize) {
        return new ExtendedHandshake(Extensions.LOCAL_IDS, client, port, reqq, metadataSize, null, null, null);
    }

    /** The id the sender wants for {@code name}, or 0 when it does not support it. */
    public int idOf(String name) {
        Integer id = m.get(name);
        return id == null ? 0 : id;
    }

    public byte[] encode() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("m", new TreeMap<>(m));
        if (v != null) {
            d.put("v", v);
        }
        if (p > 0) {
            d.put("p", (long) p);
        }
        if (reqq > 0) {
            d.put("reqq", (long) reqq);
        }
        if (metadataSize >= 0) {
            d.put("metadata_size", metadataSize);
        }
        if (yourip != null) {
            d.put("yourip", yourip);
        }
        if (ipv4 != null) {
            d.put("ipv4", ipv4);
        }
        if (ipv6 != null) {
            d.put("ipv6", ipv6);
        }
        return Bencode.encodeObject(d);
    }

    /** Lenient about unknown keys and odd values of optional ones (clients differ); strict about bencode. */
    public static ExtendedHandshake decode(ByteBuffer payload) throws WireException {
        BValue value;
        try {
            value = Bencode.decode(payload, LIMITS);
        } catch (BencodeException e) {
            throw new WireException("extended handshake is not bencode: " + e.getMessage(), e);
        }
        if (!(value instanceof BDictionary d)) {
            throw new WireException("extended handshake is not a dictionary");
        }
        Map<String, Integer> m = new TreeMap<>();
        BDictionary md = d.dictionary("m").orElse(null);
        if (md != null) {
            for (Map.Entry<String, BValue> e : md.entries().entrySet()) {
                if (e.getValue() instanceof BInteger i && i.value() >= 0 && i.value() <= 255) {
                    m.put(e.getKey(), (int) i.value());
                }
            }
        }
        return new ExtendedHandshake(m,
                d.string("v").map(BString::utf8).orElse(null),
                (int) intIn(d, "p", 0, 65535, 0),
                (int) intIn(d, "reqq", 0, Integer.MAX_VALUE, 0),
                intIn(d, "metadata_size", 0, Long.MAX_VALUE, -1),
                address(d, "yourip"), address(d, "ipv4"), address(d, "ipv6"));
    }

    private static long intIn(BDictionary d, String key, long min, long max, long absent) {
        BInteger i = d.integer(key).orElse(null);
        return i == null || i.value() < min || i.value() > max ? absent : i.value();
    }

    private static byte[] address(BDictionary d, String key) {
        BString s = d.string(key).orElse(null);
        return s == null || (s.length() != 4 && s.length() != 16) ? null : s.bytes();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtendedHandshake h && m.equals(h.m) && java.util.Objects.equals(v, h.v)
                && p == h.p && reqq == h.reqq && metadataSize == h.metadataSize
                && java.util.Arrays.equals(yourip, h.yourip) && java.util.Arrays.equals(ipv4, h.ipv4)
                && java.util.Arrays.equals(ipv6, h.ipv6);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(m, v, p, reqq, metadataSize);
    }
}
