package io.piecework.storage.file.internal;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each piece's SHA-1 fed with its blocks as they are written, from the piece's start for as long
 * as they come in order, so that verifying a piece reads back from disk only what came out of
 * order (usually nothing) instead of the whole piece. The digest only ever holds bytes that a
 * completed write put on disk: a block is hashed after its write returned, from the very buffer
 * that was written, and any later write into the hashed prefix marks the piece {@code broken}
 * (it is then read back whole). Bounded: at most {@link #MAX_STREAMS} pieces at a time (least
 * recently written dropped, read back instead); made on the first write, so an idle or seeding
 * torrent holds nothing.
 */
final class PieceDigests {
    static final int MAX_STREAMS = 128;
    private static final int SPARE = 8;
    /** Copies of blocks beyond a piece's prefix one piece keeps at most. */
    static final int MAX_AHEAD = 16;

    /** One piece's digest: its first {@code hashed} bytes, all of them on disk. */
    static final class Stream {
        final MessageDigest sha1;
        private final AheadBuffers buffers;
        long hashed;
        boolean broken;
        // Blocks written beyond the prefix, copied, hashed once the prefix reaches them.
        private final int[] aheadAt = new int[MAX_AHEAD];
        private final int[] aheadLength = new int[MAX_AHEAD];
        private final byte[][] ahead = new byte[MAX_AHEAD][];
        private int aheadCount;

        Stream(MessageDigest sha1, AheadBuffers buffers) {
            this.sha1 = sha1;
            this.buffers = buffers;
        }

        /**
         * After a write of {@code block} at {@code offset} returned: extends the prefix (and takes
         * in the copies it now reaches), keeps a copy of a block beyond it, or notes a rewrite.
         * Blocks come out of order because the seeder's disk reads finish out of order and two
         * disk threads here write a piece's consecutive blocks at once.
         */
        synchronized void written(int offset, ByteBuffer block) {
            if (broken) {
                return;
            }
            int length = block.remaining();
            if (offset < hashed || overlapsAhead(offset, length)) {
                retire(); // the disk may now differ from what was hashed (or copied)
            } else if (offset == hashed) {
                hashed += length;
                sha1.update(block);
                takeAhead();
            } else if (aheadCount < MAX_AHEAD && length <= AheadBuffers.SIZE) {
                byte[] copy = buffers.take();
                if (copy != null) { // else all are in use: the gap is read back at verification
                    block.get(copy, 0, length);
                    aheadAt[aheadCount] = offset;
                    aheadLength[aheadCount] = length;
                    ahead[aheadCount++] = copy;
                }
            }
        }

        /** Hashes the copies that continue the prefix, in order. */
        private void takeAhead() {
            for (int i = 0; i < aheadCount; ) {
                if (aheadAt[i] == hashed) {
                    sha1.update(ahead[i], 0, aheadLength[i]);
                    hashed += aheadLength[i];
                    removeAhead(i);
                    i = 0;
                } else {
                    i++;
                }
            }
        }

        private boolean overlapsAhead(int offset, int length) {
            for (int i = 0; i < aheadCount; i++) {
                if (offset < aheadAt[i] + aheadLength[i] && aheadAt[i] < offset + length) {
                    return true;
                }
            }
            return false;
        }

        private void removeAhead(int i) {
            buffers.give(ahead[i]);
            aheadCount--;
            aheadAt[i] = aheadAt[aheadCount];
            aheadLength[i] = aheadLength[aheadCount];
            ahead[i] = ahead[aheadCount];
            ahead[aheadCount] = null;
        }

        /** A failed write, a rewrite, or verification took it over: later writes must not touch the digest. */
        synchronized void retire() {
            broken = true;
            while (aheadCount > 0) {
                removeAhead(aheadCount - 1);
            }
        }
    }

    // Guarded by this. Access order: the eldest is the piece written least recently.
    private Map<Integer, Stream> streams;
    private final ArrayDeque<MessageDigest> spare = new ArrayDeque<>();

    private final AheadBuffers buffers;

    PieceDigests(AheadBuffers buffers) {
        this.buffers = buffers;
    }

    /** The piece's stream, made if it has none (the caller writes to the piece next). */
    synchronized Stream stream(int piece) {
        if (streams == null) {
            streams = new LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, Stream> eldest) {
                    if (size() > MAX_STREAMS) {
                        eldest.getValue().retire(); // read back instead; its copies go back
                        return true;
                    }
                    return false;
                }
            };
        }
        Stream s = streams.get(piece);
        if (s == null) {
            s = new Stream(digest(), buffers);
            streams.put(piece, s);
        }
        return s;
    }

    /** Removes and returns the piece's stream (null if none): its verification takes it over. */
    synchronized Stream take(int piece) {
        return streams == null ? null : streams.remove(piece);
    }

    /** A write to the piece failed: what it hashed cannot be trusted. */
    synchronized void drop(int piece) {
        Stream s = streams == null ? null : streams.remove(piece);
        if (s != null) {
            s.retire();
        }
    }

    /** Forgets every stream (a recheck reads everything from disk); gives the map back. */
    synchronized void clear() {
        if (streams != null) {
            streams.values().forEach(Stream::retire);
        }
        streams = null;
    }

    /** Back for reuse once its verification finished; reset. */
    synchronized void recycle(Stream s) {
        if (spare.size() < SPARE) {
            s.sha1.reset();
            spare.push(s.sha1);
        }
    }

    synchronized int size() {
        return streams == null ? 0 : streams.size();
    }

    private MessageDigest digest() {
        MessageDigest d = spare.poll();
        if (d != null) {
            return d;
        }
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-1", e);
        }
    }
}
