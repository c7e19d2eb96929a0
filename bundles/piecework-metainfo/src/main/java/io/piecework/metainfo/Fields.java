package io.piecework.metainfo;

import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.bencode.BDictionary;
import io.piecework.bencode.BInteger;
import io.piecework.bencode.BList;
import io.piecework.bencode.BString;
import io.piecework.bencode.BValue;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Typed access to dictionary fields, with errors that name the field path. */
final class Fields {
    private Fields() {
    }

    static BValue require(BDictionary d, String key, String where) throws InvalidTorrentException {
        BValue v = d.get(key);
        if (v == null) {
            throw new InvalidTorrentException(where, "missing field '" + key + "'");
        }
        return v;
    }

    static BString string(BValue v, String where) throws InvalidTorrentException {
        if (v instanceof BString s) {
            return s;
        }
        throw new InvalidTorrentException(where, "expected a string, found " + kind(v));
    }

    static long integer(BValue v, String where) throws InvalidTorrentException {
        if (v instanceof BInteger i) {
            return i.value();
        }
        throw new InvalidTorrentException(where, "expected an integer, found " + kind(v));
    }

    static BList list(BValue v, String where) throws InvalidTorrentException {
        if (v instanceof BList l) {
            return l;
        }
        throw new InvalidTorrentException(where, "expected a list, found " + kind(v));
    }

    static BDictionary dictionary(BValue v, String where) throws InvalidTorrentException {
        if (v instanceof BDictionary d) {
            return d;
        }
        throw new InvalidTorrentException(where, "expected a dictionary, found " + kind(v));
    }

    /** The UTF-8 variant ({@code key.utf-8}) when it is a string, else the plain key, else null. */
    static String text(BDictionary d, String key, String where) throws InvalidTorrentException {
        BValue utf8 = d.get(key + ".utf-8");
        if (utf8 instanceof BString s) {
            return name(s);
        }
        BValue plain = d.get(key);
        return plain == null ? null : name(string(plain, where + key));
    }

    /**
     * UTF-8 text of a name; each byte that is not valid UTF-8 (legacy code pages) becomes
     * {@code %XX}, so distinct legacy names stay distinct instead of all becoming U+FFFD.
     */
    static String name(BString s) {
        ByteBuffer in = s.buffer();
        CharBuffer out = CharBuffer.allocate(in.remaining() * 3 + 1);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (!r.isError()) {
                break;
            }
            for (int i = 0; i < r.length(); i++) {
                out.put(String.format("%%%02X", in.get() & 0xff));
            }
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    private static String kind(BValue v) {
        if (v instanceof BString) {
            return "a string";
        }
        if (v instanceof BInteger) {
            return "an integer";
        }
        return v instanceof BList ? "a list" : "a dictionary";
    }
}
