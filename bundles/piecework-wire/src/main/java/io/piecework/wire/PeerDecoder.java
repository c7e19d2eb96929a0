package io.piecework.wire;

import io.piecework.api.metainfo.InfoHash;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import org.roaringbitmap.RoaringBitmap;

/**
 * Decodes one connection's incoming bytes into {@link PeerMessageListener} calls. Feed it
 * whatever arrived, in any split (one byte at a time works): it decodes straight from the
 * input when a message is whole and buffers only the part of a message that straddles two
 * reads. Block bytes go from the input to {@link PeerMessageListener#pieceDestination} in
 * one copy, whatever the split, and the small-message and block paths allocate nothing.
 *
 * <p>A violation throws {@link WireException} with a specific reason and leaves the decoder
 * failed: the connection should be closed. Not thread-safe: one decoder per connection.
 */
public final class PeerDecoder {
    private enum State { HANDSHAKE, LENGTH, ID, BODY, PIECE_HEADER, PIECE_BODY, SKIP, FAILED }

    private PeerMessageListener listener;
    /** The peer's last extended handshake (BEP 10), read by other threads. */
    private volatile ExtendedHandshake remoteExtended;
    private final WireLimits limits;
    private final Supplier<RoaringBitmap> bitmaps;
    /** Our extension names by the id we gave them: the same for every connection, so one table for all. */
    private static final String[] LOCAL_EXTENSIONS = localExtensions();
    /** No straddling bytes yet: an idle connection whose messages each arrived whole holds no buffer. */
    private static final ByteBuffer NOTHING_PENDING = ByteBuffer.allocate(0);
    private State state;
    private int pieceCount = -1;
    private boolean fast = true;
    private String failure;

    /** Bytes of a segment that arrived in pieces; grows as they arrive, up to the message's length. */
    private ByteBuffer pending = NOTHING_PENDING;
    private ByteBuffer seg;
    private int segOff;

    private long length;
    private int id;
    private int skip;
    private int piece;
    private int begin;
    private int blockLength;
    private int copied;
    private ByteBuffer dest;
    private int destStart;
    private ByteBuffer scratch;

    /**
     * @param expectHandshake start with the 68-byte handshake rather than a message
     * @param bitmaps         where bitfield bitmaps come from (a pool, say); each is cleared before use
     */
    public PeerDecoder(PeerMessageListener listener, WireLimits limits, Supplier<RoaringBitmap> bitmaps,
                       boolean expectHandshake) {
        this.listener = listener;
        this.limits = limits;
        this.bitmaps = bitmaps;
        this.state = expectHandshake ? State.HANDSHAKE : State.LENGTH;
    }

    private static String[] localExtensions() {
        String[] names = new String[256];
        for (Map.Entry<String, Integer> e : Extensions.LOCAL_IDS.entrySet()) {
            names[e.getValue()] = e.getKey();
        }
        return names;
    }

    /** Number of pieces, once known (after routing an incoming handshake, or from the metadata); -1 if unknown. */
    public void pieceCount(int pieces) {
        this.pieceCount = pieces;
    }

    /** Whether both sides announced the fast extension; if not, its messages are violations (BEP 6). */
    public void fastExtension(boolean enabled) {
        this.fast = enabled;
    }

    /**
     * Sends the messages decoded from now on to {@code next}, also in the middle of a
     * {@link #feed}: a connection hands the peer's messages to its torrent once the handshake
     * named it, with nothing in between.
     */
    public void listener(PeerMessageListener next) {
        this.listener = next;
    }

    /** The peer's last extended handshake (BEP 10), or null before one arrived. */
    public ExtendedHandshake remoteExtendedHandshake() {
        return remoteExtended;
    }

    /**
     * Stops decoding, also in the middle of a {@link #feed}: a listener that closes the
     * connection gets no message after that.
     */
    public void stop(String reason) {
        if (state != State.FAILED) {
            state = State.FAILED;
            failure = reason;
        }
    }

    public boolean failed() {
        return state == State.FAILED;
    }

    /** The reason the decoder failed, or null. */
    public String failure() {
        return failure;
    }

    /** Bytes held for a message that straddles reads (for tests of what a trickling peer costs). */
    int bufferedCapacity() {
        return pending.capacity();
    }

    /**
     * Consumes all of {@code in}, calling the listener for each complete message.
     *
     * @throws WireException on the first violation; the decoder stays failed
     */
    public void feed(ByteBuffer in) throws WireException {
        if (state == State.FAILED) {
            throw new WireException("decoder already failed: " + failure);
        }
        try {
            while (in.hasRemaining() && state != State.FAILED) {
                step(in);
            }
        } catch (WireException e) {
            state = State.FAILED;
            failure = e.getMessage();
            throw e;
        } finally {
            seg = null; // the input's view: an idle connection need not keep the last read's
            if (pending.position() == 0) {
                // Nothing straddles now: a buffer kept from a message that once did cost each of
                // 19,000 idle connections about 140 bytes; one is made again if another does.
                pending = NOTHING_PENDING;
            }
        }
    }

    private void step(ByteBuffer in) throws WireException {
        switch (state) {
            case HANDSHAKE -> {
                if (take(in, Handshake.LENGTH)) {
                    handshake();
                }
            }
            case LENGTH -> {
                if (take(in, 4)) {
                    length = seg.getInt(segOff) & 0xffffffffL;
                    if (length == 0) {
                        listener.onKeepAlive();
                    } else if (length > limits.maxLengthPrefix()) {
                        throw new WireException("length prefix " + length + " exceeds the limit of "
                                + limits.maxLengthPrefix());
                    } else {
                        state = State.ID;
                    }
                }
            }
            case ID -> {
                if (take(in, 1)) {
                    id = seg.get(segOff) & 0xff;
                    afterId();
                }
            }
            case BODY -> {
                if (take(in, (int) length - 1)) {
                    state = State.LENGTH;
                    body(seg, segOff, (int) length - 1);
                    if (pending.capacity() > 64 * 1024) {
                        pending = NOTHING_PENDING; // a large message passed; do not hold its buffer
                    }
                }
            }
            case PIECE_HEADER -> {
                if (take(in, 8)) {
                    pieceHeader();
                }
            }
            case PIECE_BODY -> pieceBody(in);
            case SKIP -> {
                int n = Math.min(skip, in.remaining());
                in.position(in.position() + n);
                skip -= n;
                if (skip == 0) {
                    state = State.LENGTH;
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    /**
     * Makes the next {@code n} bytes available at {@code seg[segOff..]}: a view of the input
     * when they are all there, else gathered in {@code pending} across calls.
     */
    private boolean take(ByteBuffer in, int n) {
        int have = pending.position();
        if (have == 0 && in.remaining() >= n) {
            seg = in;
            segOff = in.position();
            in.position(segOff + n);
            return true;
        }
        int copy = Math.min(n - have, in.remaining());
        if (pending.capacity() < have + copy) {
            // Grow with the bytes that arrived, not with the length the peer announced: a 1 MiB
            // prefix followed by a trickle costs what was sent; doubling keeps the copies linear.
            int grown = (int) Math.min(n, Math.max(Math.max(64, pending.capacity() * 2L), have + copy));
            ByteBuffer bigger = ByteBuffer.allocate(grown);
            if (have > 0) {
                bigger.put(pending.flip());
            }
            pending = bigger;
        }
        pending.put(have, in, in.position(), copy);
        pending.position(have + copy);
        in.position(in.position() + copy);
        if (have + copy < n) {
            return false;
        }
        pending.position(0); // the bytes stay readable until the next take()
        seg = pending;
        segOff = 0;
        return true;
    }

    private void handshake() throws WireException {
        if (seg.get(segOff) != 19 || !Arrays.equals(bytes(segOff + 1, 19), Handshake.PROTOCOL)) {
            throw new WireException("handshake does not start with \\x13BitTorrent protocol");
        }
        Handshake h = new Handshake(bytes(segOff + 20, 8), InfoHash.of(bytes(segOff + 28, 20)),
                PeerId.of(bytes(segOff + 48, 20)));
        state = State.LENGTH;
        listener.onHandshake(h);
    }

    private byte[] bytes(int offset, int n) {
        byte[] b = new byte[n];
        seg.get(offset, b);
        return b;
    }

    private void afterId() throws WireException {
        int payload = (int) length - 1;
        switch (id) {
            case MessageId.CHOKE, MessageId.UNCHOKE, MessageId.INTERESTED, MessageId.NOT_INTERESTED,
                    MessageId.HAVE_ALL, MessageId.HAVE_NONE -> expect(payload, 0);
            case MessageId.HAVE, MessageId.SUGGEST_PIECE, MessageId.ALLOWED_FAST -> expect(payload, 4);
            case MessageId.REQUEST, MessageId.CANCEL, MessageId.REJECT_REQUEST -> expect(payload, 12);
            case MessageId.PORT -> expect(payload, 2);
            case MessageId.PIECE -> {
                if (payload < 8 || payload - 8 > limits.maxBlockLength()) {
                    throw new WireException("piece message of length " + length + " carries a block of "
                            + (payload - 8) + " bytes; at most " + limits.maxBlockLength() + " allowed");
                }
                state = State.PIECE_HEADER;
                return;
            }
            case HashMessages.HASH_REQUEST, HashMessages.HASH_REJECT, HashMessages.HASHES ->
                    HashMessages.checkPayload(id, payload, limits);
            case MessageId.BITFIELD, MessageId.EXTENDED -> {
                if (length > limits.maxMessageLength()) {
                    throw new WireException(name(id) + " message of length " + length + " exceeds the limit of "
                            + limits.maxMessageLength());
                }
            }
            default -> {
                if (length > limits.maxMessageLength()) {
                    throw new WireException("unknown message " + id + " of length " + length
                            + " exceeds the limit of " + limits.maxMessageLength());
                }
                listener.onUnknown(id, payload);
                skip = payload;
                state = payload == 0 ? State.LENGTH : State.SKIP;
                return;
            }
        }
        if (MessageId.isFast(id) && !fast) {
            throw new WireException(name(id) + " received but the fast extension was not negotiated");
        }
        if (payload == 0) {
            state = State.LENGTH;
            body(seg, segOff, 0);
        } else {
            state = State.BODY;
        }
    }

    private void expect(int payload, int expected) throws WireException {
        if (payload != expected) {
            throw new WireException(name(id) + " message has length " + length + ", expected " + (expected + 1));
        }
    }

    private void body(ByteBuffer b, int off, int n) throws WireException {
        switch (id) {
            case MessageId.CHOKE -> listener.onChoke();
            case MessageId.UNCHOKE -> listener.onUnchoke();
            case MessageId.INTERESTED -> listener.onInterested();
            case MessageId.NOT_INTERESTED -> listener.onNotInterested();
            case MessageId.HAVE -> listener.onHave(index(b, off));
            case MessageId.BITFIELD -> listener.onBitfield(bitfield(b, off, n));
            case MessageId.REQUEST -> listener.onRequest(index(b, off), begin(b, off + 4), blockLength(b, off + 8));
            case MessageId.CANCEL -> listener.onCancel(index(b, off), begin(b, off + 4), blockLength(b, off + 8));
            case MessageId.PORT -> listener.onPort(b.getShort(off) & 0xffff);
            case MessageId.SUGGEST_PIECE -> listener.onSuggestPiece(index(b, off));
            case MessageId.HAVE_ALL -> listener.onHaveAll();
            case MessageId.HAVE_NONE -> listener.onHaveNone();
            case MessageId.REJECT_REQUEST ->
                    listener.onRejectRequest(index(b, off), begin(b, off + 4), blockLength(b, off + 8));
            case MessageId.ALLOWED_FAST -> listener.onAllowedFast(index(b, off));
            case MessageId.EXTENDED -> extended(b, off, n);
            case HashMessages.HASH_REQUEST, HashMessages.HASHES, HashMessages.HASH_REJECT ->
                    HashMessages.dispatch(listener, id, b, off, n);
            default -> throw new IllegalStateException("no body decoder for id " + id);
        }
    }

    private int index(ByteBuffer b, int off) throws WireException {
        int index = b.getInt(off);
        if (index < 0 || (pieceCount >= 0 && index >= pieceCount)) {
            throw new WireException(name(id) + " for piece " + (index & 0xffffffffL) + " out of range"
                    + (pieceCount >= 0 ? " (" + pieceCount + " pieces)" : ""));
        }
        return index;
    }

    private int begin(ByteBuffer b, int off) throws WireException {
        int begin = b.getInt(off);
        if (begin < 0) {
            throw new WireException(name(id) + " begins at " + (begin & 0xffffffffL) + ", beyond any piece");
        }
        return begin;
    }

    private int blockLength(ByteBuffer b, int off) throws WireException {
        int n = b.getInt(off);
        if (n <= 0 || n > limits.maxBlockLength()) {
            throw new WireException(name(id) + " length " + (n & 0xffffffffL) + " is not in 1.."
                    + limits.maxBlockLength());
        }
        return n;
    }

    private RoaringBitmap bitfield(ByteBuffer b, int off, int n) throws WireException {
        if (pieceCount >= 0) {
            int expected = (pieceCount + 7) / 8;
            if (n != expected) {
                throw new WireException("bitfield has " + n + " bytes, expected " + expected + " for "
                        + pieceCount + " pieces");
            }
            int spare = expected * 8 - pieceCount;
            if (spare > 0 && (b.get(off + n - 1) & ((1 << spare) - 1)) != 0) {
                throw new WireException("bitfield has spare bits set after piece " + (pieceCount - 1));
            }
        }
        RoaringBitmap bits = bitmaps.get();
        bits.clear();
        // Add runs of set bits as ranges: a seed's bitfield becomes one range, not N adds.
        int runStart = -1;
        for (int i = 0; i < n; i++) {
            int v = b.get(off + i) & 0xff;
            if (v == 0xff && runStart >= 0) {
                continue;
            }
            for (int bit = 0; bit < 8; bit++) {
                boolean set = (v & (0x80 >>> bit)) != 0;
                int index = i * 8 + bit;
                if (set && runStart < 0) {
                    runStart = index;
                } else if (!set && runStart >= 0) {
                    bits.add((long) runStart, (long) index);
                    runStart = -1;
                }
            }
        }
        if (runStart >= 0) {
            bits.add((long) runStart, (long) n * 8);
        }
        return bits;
    }

    private void extended(ByteBuffer b, int off, int n) throws WireException {
        if (n < 1) {
            throw new WireException("extended message without an extended id");
        }
        int ext = b.get(off) & 0xff;
        ByteBuffer payload = b.duplicate().limit(off + n).position(off + 1).slice();
        if (ext == 0) {
            ExtendedHandshake h = ExtendedHandshake.decode(payload);
            remoteExtended = h;
            listener.onExtendedHandshake(h);
            return;
        }
        String name = LOCAL_EXTENSIONS[ext];
        if (Extensions.UT_METADATA.equals(name)) {
            listener.onMetadata(MetadataMessage.decode(payload));
        } else if (Extensions.UT_PEX.equals(name)) {
            listener.onPex(PexMessage.decode(payload));
        } else {
            listener.onExtended(ext, payload);
        }
    }

    private void pieceHeader() throws WireException {
        piece = index(seg, segOff);
        begin = begin(seg, segOff + 4);
        blockLength = (int) length - 9;
        copied = 0;
        dest = listener.pieceDestination(piece, begin, blockLength);
        if (dest == null) {
            if (scratch == null) {
                scratch = ByteBuffer.allocateDirect(limits.maxBlockLength());
            }
            dest = scratch.clear();
        } else if (dest.remaining() < blockLength) {
            throw new IllegalStateException("piece destination has " + dest.remaining() + " bytes, needs " + blockLength);
        }
        destStart = dest.position();
        state = State.PIECE_BODY;
        if (blockLength == 0) {
            pieceDone();
        }
    }

    private void pieceBody(ByteBuffer in) {
        int n = Math.min(blockLength - copied, in.remaining());
        dest.put(destStart + copied, in, in.position(), n);
        in.position(in.position() + n);
        copied += n;
        if (copied == blockLength) {
            pieceDone();
        }
    }

    private void pieceDone() {
        state = State.LENGTH;
        ByteBuffer block = dest;
        dest = null;
        block.limit(destStart + blockLength).position(destStart);
        listener.onPiece(piece, begin, block);
    }

    static String name(int id) {
        return switch (id) {
            case MessageId.CHOKE -> "choke";
            case MessageId.UNCHOKE -> "unchoke";
            case MessageId.INTERESTED -> "interested";
            case MessageId.NOT_INTERESTED -> "not interested";
            case MessageId.HAVE -> "have";
            case MessageId.BITFIELD -> "bitfield";
            case MessageId.REQUEST -> "request";
            case MessageId.PIECE -> "piece";
            case MessageId.CANCEL -> "cancel";
            case MessageId.PORT -> "port";
            case MessageId.SUGGEST_PIECE -> "suggest piece";
            case MessageId.HAVE_ALL -> "have all";
            case MessageId.HAVE_NONE -> "have none";
            case MessageId.REJECT_REQUEST -> "reject request";
            case MessageId.ALLOWED_FAST -> "allowed fast";
            case MessageId.EXTENDED -> "extended";
            default -> HashMessages.isHashMessage(id) ? HashMessages.name(id) : "message " + id;
        };
    }
}
