package io.piecework.transport.utp.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * One uTP connection as its user sees it: bytes written, bytes and the end handed to its
 * {@link Handler} on the endpoint's event loop. Writes may come from any thread; they are
 * copied and moved to the event loop, and what the socket's send queue cannot take yet waits
 * here, bounded by {@link #PENDING_LIMIT}.
 */
public final class UtpStream implements UtpSocket.Output {
    /** What a stream's user hears, always on the endpoint's event loop. */
    public interface Handler {
        default void onConnected(UtpStream stream) {
        }

        /** Bytes in order; the buffer is valid only during the call. */
        void onData(UtpStream stream, ByteBuffer data);

        void onClosed(UtpStream stream, String reason);

        /** The peer closed its side (its FIN and all before it arrived); {@link #onClosed} follows later. */
        default void onPeerFinished(UtpStream stream) {
        }
    }

    /**
     * Bytes a writer may have waiting beyond the socket's own queue before writes are refused.
     * The engine queues at most 1000 blocks (16 MiB) per peer and sends them as fast as the disk
     * reads them, so this holds all of them with room for the messages between: at 4 MiB, every
     * libtorrent leecher (it asks for up to 500 blocks at once) had its connection closed.
     */
    static final int PENDING_LIMIT = 20 << 20;

    private final UtpEndpoint endpoint;
    private final InetSocketAddress remote;
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private int pendingBytes;
    private Handler handler;
    UtpSocket socket;
    boolean connected;
    /** Set while a drain of this stream waits to run on the loop (see {@link UtpEndpoint#drainSoon}). */
    final java.util.concurrent.atomic.AtomicBoolean drainQueued = new java.util.concurrent.atomic.AtomicBoolean();
    private boolean closed;

    UtpStream(UtpEndpoint endpoint, InetSocketAddress remote, Handler handler) {
        this.endpoint = endpoint;
        this.remote = remote;
        this.handler = handler;
    }

    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public String toString() {
        synchronized (pending) {
            return remote + ": " + socket + ", waiting to be queued " + pendingBytes + " B";
        }
    }

    /** Bytes written and not yet taken into the socket's own queue. */
    public int pendingBytes() {
        synchronized (pending) {
            return pendingBytes;
        }
    }

    void handler(Handler handler) {
        this.handler = handler;
    }

    /** Queues a copy of {@code data}; false (nothing queued) if too much is waiting or the stream ended. */
    public boolean write(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data.duplicate()).flip();
        synchronized (pending) {
            if (closed || pendingBytes + copy.remaining() > PENDING_LIMIT) {
                return false;
            }
            pending.addLast(copy);
            pendingBytes += copy.remaining();
        }
        endpoint.drainSoon(this);
        return true;
    }

    /** Ends the stream once everything written has been sent. */
    public void close() {
        endpoint.run(() -> {
            drain();
            socket.close(endpoint.nowMicros());
        });
    }

    /**
     * Moves waiting bytes into the socket's queue as far as it takes them, then sends them
     * together (event loop only): messages written one by one leave in shared packets.
     */
    void drain() {
        if (socket == null || socket.state() == UtpSocket.State.CLOSED) {
            return;
        }
        synchronized (pending) {
            for (int taken = 1; taken > 0 && !pending.isEmpty(); ) {
                taken = 0;
                for (ByteBuffer head = pending.peekFirst(); head != null; head = pending.peekFirst()) {
                    int n = socket.offer(head);
                    pendingBytes -= n;
                    taken += n;
                    if (head.hasRemaining()) {
                        break; // the socket's queue is full: sending frees it, then more goes in
                    }
                    pending.removeFirst();
                }
                if (taken > 0) {
                    socket.sendQueued(endpoint.nowMicros());
                }
            }
        }
    }

    @Override
    public void send(Packet packet) {
        endpoint.send(packet, remote);
    }

    @Override
    public void received(ByteBuffer data) {
        handler.onData(this, data);
    }

    @Override
    public void closed(String reason) {
        synchronized (pending) {
            closed = true;
            pending.clear();
            pendingBytes = 0;
        }
        endpoint.forget(this);
        handler.onClosed(this, reason);
    }

    @Override
    public void peerFinished() {
        endpoint.eventLoop().execute(() -> handler.onPeerFinished(this)); // not inside the socket's receive
    }

    void connectedNow() {
        connected = true;
        handler.onConnected(this);
    }
}
