package io.piecework.bencode;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A bencode dictionary. Keys are byte strings, held here as Latin-1 {@code String}s so that
 * each char is one byte and string order is byte order; use {@link BString#of(String)} style
 * UTF-8 conversion only for display.
 */
public final class BDictionary extends BValue {
    private final Map<String, BValue> entries;

    BDictionary(ByteBuffer source, int start, int end, Map<String, BValue> entries) {
        super(source, start, end);
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** Builds a dictionary in code; keys are sorted as bencode requires. */
    public static BDictionary of(Map<String, ? extends BValue> entries) {
        return new BDictionary(null, -1, -1, new LinkedHashMap<>(new TreeMap<>(entries)));
    }

    /** Entries in their encoded (sorted) order. Keys are Latin-1: one char per byte. */
    public Map<String, BValue> entries() {
        return entries;
    }

    public BValue get(String key) {
        return entries.get(key);
    }

    public boolean containsKey(String key) {
        return entries.containsKey(key);
    }

    public Optional<BString> string(String key) {
        return entries.get(key) instanceof BString s ? Optional.of(s) : Optional.empty();
    }

    public Optional<BInteger> integer(String key) {
        return entries.get(key) instanceof BInteger i ? Optional.of(i) : Optional.empty();
    }

    public Optional<BList> list(String key) {
        return entries.get(key) instanceof BList l ? Optional.of(l) : Optional.empty();
    }

    public Optional<BDictionary> dictionary(String key) {
        return entries.get(key) instanceof BDictionary d ? Optional.of(d) : Optional.empty();
    }

    public int size() {
        return entries.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BDictionary other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
