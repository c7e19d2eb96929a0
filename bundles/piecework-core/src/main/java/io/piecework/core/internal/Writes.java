package io.piecework.core.internal;

import io.piecework.api.storage.TorrentStorage;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;

/**
 * Received blocks on their way to the disk pool: a fixed ring drained by up to two tasks in
 * batches, so a fast download costs a hand-off per batch rather than a task (and a lambda) per
 * block. A full ring (the disk far behind) falls back to a task per block: received data is
 * never dropped.
 */
final class Writes {
    static final int CAPACITY = 4096;
    static final int BATCH = 64;
    static final int DRAINERS = 2;

    private final BlockPath path;
    private final Executor disk;
    private final Runnable[] drains = new Runnable[DRAINERS];
    private final boolean[] running = new boolean[DRAINERS];
    private final int[] pieces = new int[CAPACITY];
    private final int[] blocks = new int[CAPACITY];
    private final ByteBuffer[] data = new ByteBuffer[CAPACITY];
    private final TorrentStorage[] targets = new TorrentStorage[CAPACITY];
    /** Each drainer's last polled block (piece, block index); only that drainer reads it. */
    private final int[][] polled = new int[DRAINERS][2];
    private final TorrentStorage[] polledTarget = new TorrentStorage[DRAINERS];
    private int head;
    private int size;

    Writes(BlockPath path, Executor disk) {
        this.path = path;
        this.disk = disk;
        for (int i = 0; i < DRAINERS; i++) {
            int drainer = i;
            drains[i] = () -> drain(drainer);
        }
    }

    /** Queues the block for writing; the buffer is the disk side's from now on. */
    void write(TorrentStorage target, int piece, int block, ByteBuffer buffer) {
        int drainer = offer(target, piece, block, buffer);
        if (drainer == -2) {
            disk.execute(() -> path.write(target, piece, block, buffer));
        } else if (drainer >= 0) {
            disk.execute(drains[drainer]);
        }
    }

    private synchronized int offer(TorrentStorage target, int piece, int block, ByteBuffer buffer) {
        if (size == CAPACITY) {
            return -2;
        }
        int at = (head + size) % CAPACITY;
        pieces[at] = piece;
        blocks[at] = block;
        data[at] = buffer;
        targets[at] = target;
        size++;
        int busy = 0;
        for (boolean r : running) {
            busy += r ? 1 : 0;
        }
        for (int i = 0; i < DRAINERS && busy < size; i++) {
            if (!running[i]) {
                running[i] = true;
                return i;
            }
        }
        return -1;
    }

    private synchronized ByteBuffer poll(int drainer) {
        if (size == 0) {
            running[drainer] = false;
            return null;
        }
        ByteBuffer b = data[head];
        polled[drainer][0] = pieces[head];
        polled[drainer][1] = blocks[head];
        polledTarget[drainer] = targets[head];
        data[head] = null;
        targets[head] = null;
        head = (head + 1) % CAPACITY;
        size--;
        return b;
    }

    private void drain(int drainer) {
        int[] at = polled[drainer];
        for (int n = 0; n < BATCH; n++) {
            ByteBuffer b = poll(drainer);
            if (b == null) {
                return; // idle; the next block schedules this drainer again
            }
            path.write(polledTarget[drainer], at[0], at[1], b);
        }
        disk.execute(drains[drainer]); // back of the line, fair to others
    }
}
