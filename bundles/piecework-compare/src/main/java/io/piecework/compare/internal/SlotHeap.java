package io.piecework.compare.internal;

import java.util.Arrays;

/**
 * A binary min-heap of slots by {@link Slot#key()}, each slot knowing its position, so a
 * changed key is fixed in place in O(log n) and nothing is allocated per operation.
 */
final class SlotHeap {
    private Slot[] heap = new Slot[64];
    private int size;

    Slot peek() {
        return size == 0 ? null : heap[0];
    }

    int size() {
        return size;
    }

    /** Inserts {@code s}, or restores the order after its key changed. */
    void update(Slot s) {
        if (s.heapIndex < 0) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            s.heapIndex = size;
            heap[size++] = s;
        }
        if (!up(s.heapIndex)) {
            down(s.heapIndex);
        }
    }

    private boolean up(int i) {
        Slot s = heap[i];
        int start = i;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent].key() <= s.key()) {
                break;
            }
            place(heap[parent], i);
            i = parent;
        }
        place(s, i);
        return i != start;
    }

    private void down(int i) {
        Slot s = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && heap[child + 1].key() < heap[child].key()) {
                child++;
            }
            if (heap[child].key() >= s.key()) {
                break;
            }
            place(heap[child], i);
            i = child;
        }
        place(s, i);
    }

    private void place(Slot s, int i) {
        heap[i] = s;
        s.heapIndex = i;
    }
}
