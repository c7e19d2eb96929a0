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

        /** Bytes handed to {@link #onData} and held unread: they shrink the receive window. */
        default int unread() {
            return 0;
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
    /** Rate limits on what goes into the socket; null: none. */
    private volatile UtpRates.Gate gate;
    private boolean drainScheduled;

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

    /** Sends only what {@code gate}'s rate limits grant from now on. */
    void gate(UtpRates.Gate gate) {
        this.gate = gate;
    }

    /** The reader read what it held: the sender hears that the receive window is open again. */
    void windowOpened() {
        endpoint.run(() -> {
            if (socket != null) {
                socket.windowOpened(endpoint.nowMicros());
            }
        });
    }

    /**
     * Moves waiting bytes into the socket's queue as far as it takes them and the rate limits
     * grant, then sends them together (event loop only): messages written one by one leave in
     * shared packets. When the limits grant nothing, tries again once they will.
     */
    void drain() {
        if (socket == null || socket.state() == UtpSocket.State.CLOSED) {
            return;
        }
        UtpRates.Gate g = gate;
        synchronized (pending) {
            long waitNanos = -1;
            for (int taken = 1; taken > 0 && waitNanos < 0 && !pending.isEmpty(); ) {
                taken = 0;
                for (ByteBuffer head = pending.peekFirst(); head != null; head = pending.peekFirst()) {
                    if (!head.hasRemaining()) {
                        pending.removeFirst(); // an empty write: nothing to grant
                        continue;
                    }
                    int granted = g == null ? head.remaining() : g.grantUpload(head.remaining());
                    if (granted == 0) {
                        waitNanos = g.uploadWaitNanos();
                        break;
                    }
                    boolean whole = granted == head.remaining();
                    ByteBuffer part = whole ? head : head.duplicate().limit(head.position() + granted);
                    int n = socket.offer(part);
                    if (!whole) {
                        head.position(head.position() + n); // the slice moved, not the head
                    }
                    pendingBytes -= n;
                    taken += n;
                    if (n < granted) {
                        g = refund(g, granted - n);
                        break; // the socket's queue is full: sending frees it, then more goes in
                    }
                    if (head.hasRemaining()) {
                        waitNanos = g.uploadWaitNanos();
                        break;
                    }
                    pending.removeFirst();
                }
                if (taken > 0) {
                    socket.sendQueued(endpoint.nowMicros());
                }
            }
            if (waitNanos >= 0) {
                later(waitNanos);
            }
        }
    }

    private static UtpRates.Gate refund(UtpRates.Gate g, int bytes) {
        if (g != null) {
            g.refundUpload(bytes);
        }
        return g;
    }

    /** One drain at a time waits for the rate limits, on the event loop's timer. */
    private void later(long nanos) {
        if (drainScheduled) {
            return;
        }
        drainScheduled = true;
        endpoint.eventLoop().schedule(() -> {
            drainScheduled = false;
            drain();
        }, Math.max(nanos, 100_000), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public int unread() {
        Handler h = handler;
        return h == null ? 0 : h.unread();
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
