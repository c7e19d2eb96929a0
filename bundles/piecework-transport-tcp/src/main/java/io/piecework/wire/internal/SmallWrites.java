package io.piecework.wire.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.nio.ByteBuffer;

/**
 * The small messages (requests, haves, interest...) a connection sends on its event loop in one
 * read or batch, gathered into one pooled buffer that is written before anything else goes out:
 * a read that books 16 blocks asks for 16 more with one buffer, one outbound entry and one
 * iovec instead of 16 of each. The buffer starts at what the last gathering took, so a
 * downloader's buffer is made once per read and an idle connection's have takes 9 bytes, not
 * a page. The connection's event loop only.
 */
final class SmallWrites {
    /** Messages up to this many bytes are gathered: all but bitfields, extension messages and blocks. */
    static final int MAX_MESSAGE = 64;
    /** The most one buffer holds (240 requests, a deep pipeline's refill); then it is written and another begun. */
    static final int CAPACITY = 4096;
    private ByteBuf gathered;
    /** What the last gathering took: the next one's first size. */
    private int lastSize;

    /**
     * Room for {@code length} (at most {@link #MAX_MESSAGE}) bytes after the messages gathered
     * so far, to encode into at once (the view is the buffer's shared one).
     */
    ByteBuffer reserve(Channel channel, int length) {
        if (gathered != null && gathered.maxWritableBytes() < length) {
            emit(channel);
        }
        if (gathered == null) {
            gathered = channel.alloc().ioBuffer(Math.max(length, lastSize), CAPACITY);
        }
        int at = gathered.writerIndex();
        gathered.ensureWritable(length);
        gathered.writerIndex(at + length);
        return gathered.internalNioBuffer(at, length);
    }

    /** Writes what was gathered, not flushed: before any other message, and before each flush. */
    void emit(Channel channel) {
        ByteBuf out = gathered;
        if (out != null) {
            gathered = null;
            lastSize = Math.min(out.readableBytes(), CAPACITY);
            channel.write(out, channel.voidPromise());
        }
    }

    /** Drops what was gathered: the connection closed before it could go. */
    void release() {
        if (gathered != null) {
            gathered.release();
            gathered = null;
        }
    }
}
