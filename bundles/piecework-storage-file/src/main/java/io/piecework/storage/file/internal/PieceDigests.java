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
    /** How long a block waits for the write before it to close the gap (that write is under way). */
    static final long GAP_WAIT_NANOS = 5_000_000;

    /** One piece's digest: its first {@code hashed} bytes, all of them on disk. */
    static final class Stream {
        final MessageDigest sha1;
        long hashed;
        boolean broken;
        /** Offsets of the writes to this piece under way (registered by {@link #starting}). */
        private int[] writing = new int[4];
        private int writers;

        Stream(MessageDigest sha1) {
            this.sha1 = sha1;
        }

        /** Before a write at {@code offset}: a block just after it may wait for it rather than leave a gap. */
        synchronized void starting(int offset) {
            if (writers == writing.length) {
                writing = java.util.Arrays.copyOf(writing, writers * 2);
            }
            writing[writers++] = offset;
        }

        /**
         * After a write of {@code block} at {@code offset} returned: extends the prefix, or notes a
         * rewrite. Two disk threads write a piece's consecutive blocks at once and the later one
         * often finishes first; it waits (briefly, bounded) for the one that closes the gap, which
         * is already writing, since a gap left open costs reading the rest of the piece back.
         */
        synchronized void written(int offset, ByteBuffer block) {
            finished(offset);
            long deadline = 0;
            while (!broken && offset > hashed && isWriting(hashed)) {
                long now = System.nanoTime();
                if (deadline == 0) {
                    deadline = now + GAP_WAIT_NANOS;
                } else if (now >= deadline) {
                    break;
                }
                try {
                    wait(Math.max(1, (deadline - now) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (broken) {
                return;
            }
            if (offset == hashed) {
                hashed += block.remaining();
                sha1.update(block);
                notifyAll();
            } else if (offset < hashed) {
                broken = true; // the disk may now differ from what was hashed
            }
            // Beyond the prefix: left for the read-back when the piece is verified.
        }

        /** The write failed: nothing of this piece is trusted. */
        synchronized void failed(int offset) {
            finished(offset);
            broken = true;
            notifyAll();
        }

        /** Verification took the stream over: later writes must not touch its digest. */
        synchronized void retire() {
            broken = true;
            notifyAll();
        }

        private void finished(int offset) {
            for (int i = 0; i < writers; i++) {
                if (writing[i] == offset) {
                    writing[i] = writing[--writers];
                    return;
                }
            }
        }

        private boolean isWriting(long offset) {
            for (int i = 0; i < writers; i++) {
                if (writing[i] == offset) {
                    return true;
                }
            }
            return false;
        }
    }

    // Guarded by this. Access order: the eldest is the piece written least recently.
    private Map<Integer, Stream> streams;
    private final ArrayDeque<MessageDigest> spare = new ArrayDeque<>();

    /** The piece's stream, made if it has none, with the write at {@code offset} registered. */
    Stream starting(int piece, int offset) {
        Stream s = stream(piece);
        s.starting(offset);
        return s;
    }

    private synchronized Stream stream(int piece) {
        if (streams == null) {
            streams = new LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, Stream> eldest) {
                    return size() > MAX_STREAMS;
                }
            };
        }
        Stream s = streams.get(piece);
        if (s == null) {
            s = new Stream(digest());
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
        if (streams != null) {
            streams.remove(piece);
        }
    }

    /** Forgets every stream (a recheck reads everything from disk); gives the map back. */
    synchronized void clear() {
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
