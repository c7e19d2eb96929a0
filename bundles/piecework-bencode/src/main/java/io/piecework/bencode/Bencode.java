package io.piecework.bencode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Entry point: strict decoding and canonical encoding. */
public final class Bencode {
    private Bencode() {
    }

    /** Decodes a whole document; trailing bytes are an error. */
    public static BValue decode(byte[] input) throws BencodeException {
        return decode(ByteBuffer.wrap(input), BencodeLimits.DEFAULT);
    }

    public static BValue decode(byte[] input, BencodeLimits limits) throws BencodeException {
        return decode(ByteBuffer.wrap(input), limits);
    }

    /**
     * Decodes the bytes between the buffer's position and limit; trailing bytes are an error.
     * The buffer's position is not moved. Strings in the result share the buffer.
     */
    public static BValue decode(ByteBuffer input, BencodeLimits limits) throws BencodeException {
        return new BencodeDecoder(input, limits).decodeWhole();
    }

    /**
     * Decodes the first value of the input and ignores what follows it, for messages that
     * carry raw bytes after a bencoded header (BEP 9 metadata pieces). {@link BValue#end()}
     * tells where the value stopped.
     */
    public static BValue decodeFirst(ByteBuffer input, BencodeLimits limits) throws BencodeException {
        return new BencodeDecoder(input, limits).decodeFirst();
    }

    /** Canonical encoding: dictionary keys sorted by their bytes. */
    public static byte[] encode(BValue value) {
        ByteSink out = new ByteSink(64);
        write(value, out);
        return out.toByteArray();
    }

    /**
     * Encodes plain Java values: {@code Map<String, ?>} (keys as UTF-8), {@code List<?>},
     * integral {@code Number}s, {@code byte[]}, {@code ByteBuffer}, {@code String} (UTF-8)
     * and {@link BValue}.
     */
    public static byte[] encodeObject(Object value) {
        ByteSink out = new ByteSink(64);
        writeObject(value, out);
        return out.toByteArray();
    }

    private static void write(BValue value, ByteSink out) {
        if (value instanceof BInteger i) {
            writeInteger(i.value(), out);
        } else if (value instanceof BString s) {
            writeString(s.buffer(), out);
        } else if (value instanceof BList l) {
            out.put('l');
            for (BValue item : l.items()) {
                write(item, out);
            }
            out.put('e');
        } else {
            BDictionary d = (BDictionary) value;
            out.put('d');
            // Re-sort in case a dictionary was built out of order in code.
            for (Map.Entry<String, BValue> e : new TreeMap<>(d.entries()).entrySet()) {
                writeString(ByteBuffer.wrap(e.getKey().getBytes(StandardCharsets.ISO_8859_1)), out);
                write(e.getValue(), out);
            }
            out.put('e');
        }
    }

    private static void writeObject(Object value, ByteSink out) {
        if (value instanceof BValue b) {
            write(b, out);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            writeInteger(((Number) value).longValue(), out);
        } else if (value instanceof byte[] bytes) {
            writeString(ByteBuffer.wrap(bytes), out);
        } else if (value instanceof ByteBuffer buffer) {
            writeString(buffer.duplicate(), out);
        } else if (value instanceof String s) {
            writeString(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)), out);
        } else if (value instanceof List<?> list) {
            out.put('l');
            for (Object item : list) {
                writeObject(item, out);
            }
            out.put('e');
        } else if (value instanceof Map<?, ?> map) {
            TreeMap<BString, Object> sorted = new TreeMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("dictionary keys must be strings, got " + e.getKey());
                }
                if (sorted.put(BString.of(key), e.getValue()) != null) {
                    throw new IllegalArgumentException("duplicate dictionary key " + key);
                }
            }
            out.put('d');
            for (Map.Entry<BString, Object> e : sorted.entrySet()) {
                writeString(e.getKey().buffer(), out);
                writeObject(e.getValue(), out);
            }
            out.put('e');
        } else {
            throw new IllegalArgumentException("cannot bencode " + (value == null ? "null" : value.getClass().getName()));
        }
    }

    private static void writeInteger(long v, ByteSink out) {
        out.put('i');
        out.putAscii(Long.toString(v));
        out.put('e');
    }

    private static void writeString(ByteBuffer bytes, ByteSink out) {
        out.putAscii(Integer.toString(bytes.remaining()));
        out.put(':');
        out.put(bytes);
    }
}
