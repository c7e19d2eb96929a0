package io.piecework.bencode;

import io.piecework.api.text.Untrusted;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Strict, bounded decoder. One instance decodes one document; it is not thread-safe. */
final class BencodeDecoder {
    private final ByteBuffer in;
    private final int base;
    private final int limit;
    private final BencodeLimits limits;
    private int pos;
    private int values;

    BencodeDecoder(ByteBuffer input, BencodeLimits limits) {
        this.in = input.asReadOnlyBuffer();
        this.base = input.position();
        this.limit = input.limit();
        this.limits = limits;
        this.pos = base;
    }

    /** Decodes one value that must span the whole input. */
    BValue decodeWhole() throws BencodeException {
        checkTotal();
        BValue value = value(0);
        if (pos != limit) {
            throw error(pos, "unexpected data after the end of the top-level value");
        }
        return value;
    }

    /** Decodes the first value; the input may continue after it (see {@link BValue#end()}). */
    BValue decodeFirst() throws BencodeException {
        checkTotal();
        return value(0);
    }

    private void checkTotal() throws BencodeException {
        if (limit - base > limits.maxTotalSize()) {
            throw error(base, "input of " + (limit - base) + " bytes exceeds the limit of " + limits.maxTotalSize());
        }
    }

    private BValue value(int depth) throws BencodeException {
        if (++values > limits.maxValues()) {
            throw error(pos, "more than " + limits.maxValues() + " values");
        }
        int c = peek("a value");
        if (c == 'i') {
            return integer();
        }
        if (c >= '0' && c <= '9') {
            return string();
        }
        if (c == 'l' || c == 'd') {
            if (depth + 1 > limits.maxDepth()) {
                throw error(pos, "nesting deeper than " + limits.maxDepth());
            }
            return c == 'l' ? list(depth + 1) : dictionary(depth + 1);
        }
        throw error(pos, "expected 'i', 'l', 'd' or a string length, found " + describe(c));
    }

    private BInteger integer() throws BencodeException {
        int start = pos++;
        boolean negative = false;
        if (peek("a digit or '-'") == '-') {
            negative = true;
            pos++;
        }
        int firstDigit = pos;
        long magnitude = 0;
        while (true) {
            int c = peek("a digit or 'e'");
            if (c == 'e') {
                break;
            }
            if (c < '0' || c > '9') {
                throw error(pos, "expected a digit or 'e' in integer, found " + describe(c));
            }
            if (pos > firstDigit && byteAt(firstDigit) == '0') {
                throw error(firstDigit, "integer with a leading zero");
            }
            int digit = c - '0';
            // Accumulate negatively so Long.MIN_VALUE is representable.
            if (magnitude < (Long.MIN_VALUE + digit) / 10) {
                throw error(start, "integer out of the 64-bit range");
            }
            magnitude = magnitude * 10 - digit;
            pos++;
        }
        if (pos == firstDigit) {
            throw error(pos, "integer with no digits");
        }
        if (negative && magnitude == 0) {
            throw error(start, "negative zero is not a valid integer");
        }
        if (!negative && magnitude == Long.MIN_VALUE) {
            throw error(start, "integer out of the 64-bit range");
        }
        pos++; // 'e'
        return new BInteger(in, start, pos, negative ? magnitude : -magnitude);
    }

    private BString string() throws BencodeException {
        int start = pos;
        long length = 0;
        while (true) {
            int c = peek("':' after a string length");
            if (c == ':') {
                break;
            }
            if (c < '0' || c > '9') {
                throw error(pos, "expected a digit or ':' in string length, found " + describe(c));
            }
            if (pos > start && byteAt(start) == '0') {
                throw error(start, "string length with a leading zero");
            }
            length = length * 10 + (c - '0');
            if (length > limits.maxStringLength()) {
                throw error(start, "string longer than the limit of " + limits.maxStringLength() + " bytes");
            }
            pos++;
        }
        pos++; // ':'
        if (length > limit - pos) {
            throw error(start, "string of " + length + " bytes runs past the end of the input ("
                    + (limit - pos) + " bytes left)");
        }
        int dataStart = pos;
        pos += (int) length;
        ByteBuffer data = in.duplicate().position(dataStart).limit(pos).slice();
        return new BString(in, start, pos, data);
    }

    private BList list(int depth) throws BencodeException {
        int start = pos++;
        List<BValue> items = new ArrayList<>();
        while (peek("a list item or 'e'") != 'e') {
            items.add(value(depth));
        }
        pos++;
        return new BList(in, start, pos, items);
    }

    private BDictionary dictionary(int depth) throws BencodeException {
        int start = pos++;
        Map<String, BValue> entries = new LinkedHashMap<>();
        BString previous = null;
        while (true) {
            int c = peek("a dictionary key or 'e'");
            if (c == 'e') {
                break;
            }
            if (c < '0' || c > '9') {
                throw error(pos, "expected a string key in dictionary, found " + describe(c));
            }
            if (++values > limits.maxValues()) {
                throw error(pos, "more than " + limits.maxValues() + " values");
            }
            int keyAt = pos;
            BString key = string();
            if (previous != null) {
                int order = key.compareTo(previous);
                if (order == 0) {
                    throw error(keyAt, "duplicate dictionary key '" + shown(key) + "'");
                }
                if (order < 0) {
                    throw error(keyAt, "dictionary key '" + shown(key) + "' is not sorted after '"
                            + shown(previous) + "'");
                }
            }
            previous = key;
            if (pos >= limit) {
                peek("a value for key '" + shown(key) + "'");
            }
            entries.put(key.latin1(), value(depth));
        }
        pos++;
        return new BDictionary(in, start, pos, entries);
    }

    private int peek(String expected) throws BencodeException {
        if (pos >= limit) {
            throw error(pos, "unexpected end of input, expected " + expected);
        }
        return in.get(pos) & 0xff;
    }

    private int byteAt(int index) {
        return in.get(index) & 0xff;
    }

    private BencodeException error(int at, String message) {
        return new BencodeException(at - base, message);
    }

    /** A key as it may appear in a message: its bytes, controls escaped, at most 80 shown. */
    private static String shown(BString key) {
        return Untrusted.text(key.latin1(), 80);
    }

    private static String describe(int c) {
        return c >= 0x20 && c < 0x7f ? "'" + (char) c + "'" : String.format("byte 0x%02x", c);
    }
}
