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
    private static final String HEX = "0123456789ABCDEF";
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
            return name(s, where + key + ".utf-8");
        }
        BValue plain = d.get(key);
        return plain == null ? null : name(string(plain, where + key), where + key);
    }

    /**
     * UTF-8 text of a name; each byte that is not valid UTF-8 (legacy code pages) becomes
     * {@code %XX}, so distinct legacy names stay distinct instead of all becoming U+FFFD.
     */
    static String name(BString s, String where) throws InvalidTorrentException {
        if (s.length() > MetainfoParser.MAX_TEXT_BYTES) {
            throw new InvalidTorrentException(where, "text of " + s.length() + " bytes is longer than the limit of "
                    + MetainfoParser.MAX_TEXT_BYTES);
        }
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
                int b = in.get() & 0xff;
                out.put('%').put(HEX.charAt(b >> 4)).put(HEX.charAt(b & 15));
            }
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /** A URL (tracker, web seed) as UTF-8 text without surrounding spaces. */
    static String url(BValue v, String where) throws InvalidTorrentException {
        BString s = string(v, where);
        if (s.length() > MetainfoParser.MAX_TEXT_BYTES) {
            throw new InvalidTorrentException(where, "URL of " + s.length() + " bytes is longer than the limit of "
                    + MetainfoParser.MAX_TEXT_BYTES);
        }
        return s.utf8().strip();
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
