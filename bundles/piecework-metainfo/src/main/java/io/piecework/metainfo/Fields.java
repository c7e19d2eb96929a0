package io.piecework.metainfo;

import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.bencode.BDictionary;
import io.piecework.bencode.BInteger;
import io.piecework.bencode.BList;
import io.piecework.bencode.BString;
import io.piecework.bencode.BValue;

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
            return s.utf8();
        }
        BValue plain = d.get(key);
        return plain == null ? null : string(plain, where + key).utf8();
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
