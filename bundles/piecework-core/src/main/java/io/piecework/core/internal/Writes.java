package io.piecework.core.internal;

import io.piecework.api.storage.TorrentStorage;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.Executor;

/**
 * Received blocks on their way to the disk pool: a ring drained by up to two tasks in runs of
 * adjacent blocks, so a fast download costs a hand-off and a system call per run rather than per
 * block. A drain is handed to the disk only once a write is worth its system call: its piece's
 * last block arrived (the piece goes as one run), {@link #RUN} blocks wait, or {@link #flush()}
 * asks (the torrent's timer every second, a stop). Handed every block as it came, a disk that
 * keeps up wrote 1-4 blocks per call and parked its thread between (a wake-up, futex calls and a
 * context switch per drain). A block waiting here for the rest of its piece costs no memory it
 * would not cost anyway: once written it is held for the piece's hash. A full ring (the disk far
 * behind) falls back to a task per block: received data is never dropped. The ring is made at
 * the first block and doubles as the disk falls behind, up to {@link #CAPACITY} (64 KiB at full
 * size); {@link #release()} gives it back once the torrent is quiet, so a torrent that is seeding
 * or idle holds none.
 */
final class Writes {
    static final int CAPACITY = 4096;
    static final int FIRST_CAPACITY = 64;
    static final int BATCH = 128;
    static final int DRAINERS = 2;
    /**
     * Most blocks one poll takes, and the queue that is worth a write without waiting for a
     * piece: blocks of a piece go to the storage as runs of adjacent ones (one gathering write of
     * up to 256 KiB instead of a system call per 16 KiB). Runs of 1 MiB cost the disk threads
     * twice the CPU with 1 MiB pieces: the ring filled and fell back to a task per block.
     */
    static final int RUN = 16;
    /**
     * How far behind the oldest block a poll looks for the rest of its piece: a seeder's disk
     * answers a piece's requests out of order, and other pieces' blocks come in between.
     */
    static final int WINDOW = 128;
    private static final int[] NO_INTS = new int[0];
    private static final ByteBuffer[] NO_DATA = new ByteBuffer[0];
    private static final TorrentStorage[] NO_TARGETS = new TorrentStorage[0];

    private final BlockPath path;
    private final Executor disk;
    private final Runnable[] drains = new Runnable[DRAINERS];
    private final boolean[] running = new boolean[DRAINERS];
    // Guarded by this.
    private int[] pieces = NO_INTS;
    private int[] blocks = NO_INTS;
    private ByteBuffer[] data = NO_DATA;
    private TorrentStorage[] targets = NO_TARGETS;
    /** Each drainer's last polled blocks, their indices, piece and storage; only that drainer reads them. */
    private final ByteBuffer[][] runs = new ByteBuffer[DRAINERS][RUN];
    private final int[][] polledBlocks = new int[DRAINERS][RUN];
    private final int[] polledPiece = new int[DRAINERS];
    private final TorrentStorage[] polledTarget = new TorrentStorage[DRAINERS];
    private int head;
    private int size;
    /** Blocks ever queued and ever taken: the ones before {@code flushTo} go to the disk now. */
    private long offered;
    private long taken;
    private long flushTo;

    Writes(BlockPath path, Executor disk) {
        this.path = path;
        this.disk = disk;
        for (int i = 0; i < DRAINERS; i++) {
            int drainer = i;
            drains[i] = () -> drain(drainer);
        }
    }

    /**
     * Queues the block for writing; the buffer is the disk side's from now on. {@code whole}:
     * it was its piece's last block to arrive, so everything queued goes to the disk now.
     */
    void write(TorrentStorage target, int piece, int block, ByteBuffer buffer, boolean whole) {
        int drainer = offer(target, piece, block, buffer, whole);
        if (drainer == -2) {
            disk.execute(() -> path.write(target, piece, block, buffer));
        } else if (drainer >= 0) {
            disk.execute(drains[drainer]);
        }
    }

    /** Has every block queued so far written now, however short its run. */
    void flush() {
        int drainer;
        synchronized (this) {
            flushTo = offered;
            drainer = idleDrainer();
        }
        if (drainer >= 0) {
            disk.execute(drains[drainer]);
        }
    }

    private synchronized int offer(TorrentStorage target, int piece, int block, ByteBuffer buffer, boolean whole) {
        if (size == pieces.length && !grow()) {
            return -2;
        }
        int at = (head + size) % pieces.length;
        pieces[at] = piece;
        blocks[at] = block;
        data[at] = buffer;
        targets[at] = target;
        size++;
        offered++;
        if (whole) {
            flushTo = offered;
        }
        return idleDrainer();
    }

    /** Under this: whether what waits is worth a write: a full run, or blocks asked to be flushed. */
    private boolean worthWriting() {
        return size >= RUN || (size > 0 && taken < flushTo);
    }

    /**
     * Under this: a drainer to start, marked running, or -1: none while nothing is worth writing,
     * a second only once more than a {@link #WINDOW} waits (the disk is behind; one keeps up).
     */
    private int idleDrainer() {
        if (!worthWriting()) {
            return -1;
        }
        int busy = 0;
        for (boolean r : running) {
            busy += r ? 1 : 0;
        }
        int wanted = size > WINDOW ? DRAINERS : 1;
        for (int i = 0; i < DRAINERS && busy < wanted; i++) {
            if (!running[i]) {
                running[i] = true;
                return i;
            }
        }
        return -1;
    }

    /**
     * Takes the oldest block and the blocks of its piece among the {@link #WINDOW} queued next
     * (moved up to it; the others keep their turn), {@link #RUN} at most.
     */
    private synchronized int poll(int drainer) {
        if (!worthWriting()) {
            running[drainer] = false; // the rest waits for its piece, a full run or a flush
            return 0;
        }
        int length = pieces.length;
        int piece = pieces[head];
        TorrentStorage target = targets[head];
        int window = Math.min(size, WINDOW);
        int n = 0;
        for (int i = 0; i < window && n < RUN; i++) {
            int at = (head + i) % length;
            if (pieces[at] == piece && targets[at] == target) {
                swap(at, (head + n) % length);
                n++;
            }
        }
        ByteBuffer[] run = runs[drainer];
        int[] indices = polledBlocks[drainer];
        for (int k = 0; k < n; k++) {
            run[k] = data[head];
            indices[k] = blocks[head];
            data[head] = null;
            targets[head] = null;
            head = (head + 1) % length;
        }
        size -= n;
        taken += n;
        polledPiece[drainer] = piece;
        polledTarget[drainer] = target;
        return n;
    }

    private void swap(int a, int b) {
        if (a == b) {
            return;
        }
        int piece = pieces[a];
        int block = blocks[a];
        ByteBuffer buffer = data[a];
        TorrentStorage target = targets[a];
        pieces[a] = pieces[b];
        blocks[a] = blocks[b];
        data[a] = data[b];
        targets[a] = targets[b];
        pieces[b] = piece;
        blocks[b] = block;
        data[b] = buffer;
        targets[b] = target;
    }

    /** Doubles the ring, oldest block first; false at {@link #CAPACITY}. */
    private boolean grow() {
        if (size == CAPACITY) {
            return false;
        }
        int length = Math.min(CAPACITY, Math.max(FIRST_CAPACITY, size * 2));
        int[] newPieces = new int[length];
        int[] newBlocks = new int[length];
        ByteBuffer[] newData = new ByteBuffer[length];
        TorrentStorage[] newTargets = new TorrentStorage[length];
        for (int i = 0; i < size; i++) {
            int from = (head + i) % pieces.length;
            newPieces[i] = pieces[from];
            newBlocks[i] = blocks[from];
            newData[i] = data[from];
            newTargets[i] = targets[from];
        }
        pieces = newPieces;
        blocks = newBlocks;
        data = newData;
        targets = newTargets;
        head = 0;
        return true;
    }

    /** With nothing queued, gives the ring back; the next block makes it again. */
    synchronized void release() {
        if (size == 0) {
            pieces = NO_INTS;
            blocks = NO_INTS;
            data = NO_DATA;
            targets = NO_TARGETS;
            head = 0;
        }
    }

    /** Blocks the ring holds without growing. */
    synchronized int allocated() {
        return pieces.length;
    }

    private void drain(int drainer) {
        ByteBuffer[] polled = runs[drainer];
        int[] indices = polledBlocks[drainer];
        for (int n = 0; n < BATCH; ) {
            int count = poll(drainer);
            if (count == 0) {
                return; // idle; the next run, piece or flush schedules this drainer again
            }
            sortByBlock(indices, polled, count);
            for (int i = 0; i < count; ) {
                int end = i + 1;
                while (end < count && indices[end] == indices[i] + (end - i)) {
                    end++;
                }
                path.write(polledTarget[drainer], polledPiece[drainer], indices[i], polled, i, end - i);
                i = end;
            }
            Arrays.fill(polled, 0, count, null); // the buffers are the disk side's (or the pool's) now
            n += count;
        }
        disk.execute(drains[drainer]); // back of the line, fair to others
    }

    /** Insertion sort: the blocks come nearly in order, a few swapped. */
    private static void sortByBlock(int[] indices, ByteBuffer[] buffers, int count) {
        for (int k = 1; k < count; k++) {
            int block = indices[k];
            ByteBuffer buffer = buffers[k];
            int j = k;
            for (; j > 0 && indices[j - 1] > block; j--) {
                indices[j] = indices[j - 1];
                buffers[j] = buffers[j - 1];
            }
            indices[j] = block;
            buffers[j] = buffer;
        }
    }
}
