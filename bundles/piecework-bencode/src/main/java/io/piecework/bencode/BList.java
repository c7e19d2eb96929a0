package io.piecework.bencode;

import java.nio.ByteBuffer;
import java.util.List;

/** A bencode list. */
public final class BList extends BValue {
    private final List<BValue> items;

    BList(ByteBuffer source, int start, int end, List<BValue> items) {
        super(source, start, end);
        this.items = List.copyOf(items);
    }

    public static BList of(List<? extends BValue> items) {
        return new BList(null, -1, -1, List.copyOf(items));
    }

    public List<BValue> items() {
        return items;
    }

    public int size() {
        return items.size();
    }

    public BValue get(int index) {
        return items.get(index);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BList other && items.equals(other.items);
    }

    @Override
    public int hashCode() {
        return items.hashCode();
    }

    @Override
    public String toString() {
        return items.toString();
    }
}
