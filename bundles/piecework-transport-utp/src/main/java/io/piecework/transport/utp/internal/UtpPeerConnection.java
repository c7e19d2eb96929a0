package io.piecework.transport.utp.internal;

import io.netty.util.concurrent.ScheduledFuture;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.transport.FixedMessages;
import io.piecework.transport.HandshakeCheck;
import io.piecework.transport.PeerConnection;
import io.piecework.transport.PeerHandler;
import io.piecework.transport.TorrentPeers;
import io.piecework.wire.ExtendedHandshake;
import io.piecework.wire.Handshake;
import io.piecework.wire.PeerDecoder;
import io.piecework.wire.PeerMessageListener;
import io.piecework.wire.WireEncoder;
import io.piecework.wire.WireException;
import io.piecework.wire.mse.MseFilter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer wire protocol over one uTP stream: the stream's bytes into {@link PeerDecoder}, sends
 * through {@link WireEncoder} into the stream. Handshake routing, the handshake timeout, the
 * keep-alive and idle check ({@link #tick}) as the TCP transport has them. With an
 * {@link MseFilter} (every incoming stream, outgoing ones dialled encrypted), the stream's bytes
 * pass through message stream encryption first: the BitTorrent handshake waits for the MSE one,
 * and every byte after it is RC4 when that was selected. Everything but the send methods runs on
 * the endpoint's event loop.
 */
final class UtpPeerConnection implements FixedMessages, UtpStream.Handler, PeerMessageListener {
    private static final Logger LOG = LoggerFactory.getLogger(UtpPeerConnection.class);
    /** Bytes a paused connection holds from its peer before it gives up on it: every block we can have asked for. */
    static final int PAUSED_LIMIT = 24 << 20;

    private final UtpPeerTransport transport;
    private final InfoHash expected; // null for incoming connections
    private final CompletableFuture<PeerConnection> connected;
    private final MseFilter mse; // null: plaintext from the first byte
    /** Orders encryption and queueing of writes from several threads: RC4 is a stream. */
    private final Object sendLock = new Object();
    private boolean handshakeSent;
    private final PeerDecoder decoder;
    private final ArrayDeque<ByteBuffer> held = new ArrayDeque<>();
    private int heldBytes;
    private UtpStream stream;
    private volatile Handshake remote;
    private PeerHandler handler;
    private volatile int pieceCount = -1;
    private boolean paused;
    /** The transport's and (after the handshake) the torrent's rate limits; what they hold back waits in {@link #held}. */
    private final UtpRates.Gate gate;
    private boolean readScheduled;
    /** Held bytes that, once read, are worth telling the sender about at once (the window reopened). */
    private static final int WINDOW_UPDATE = 64 * 1024;
    private boolean closed;
    private ScheduledFuture<?> handshakeTimer;
    private long lastRead = System.nanoTime();
    private volatile long lastWrite = System.nanoTime();
    private volatile boolean writable = true;

    /**
     * @param expected the torrent we dial for, or null for an incoming stream
     * @param mse      message stream encryption in front of the stream, or null for plaintext
     */
    UtpPeerConnection(UtpPeerTransport transport, InfoHash expected, CompletableFuture<PeerConnection> connected,
                      MseFilter mse) {
        this.transport = transport;
        this.expected = expected;
        this.connected = connected;
        this.mse = mse;
        this.decoder = new PeerDecoder(this, transport.settings().limits(), transport.bitmaps(), true);
        this.gate = new UtpRates.Gate(transport.limits());
    }

    // ---- stream side (event loop) ----

    /** Outgoing: the peer accepted the stream. (Incoming streams are started by the transport.) */
    @Override
    public void onConnected(UtpStream s) {
        start(s);
    }

    /** The stream is ours: the handshake clock runs, and a dialler sends its handshake. */
    void start(UtpStream s) {
        if (stream != null) {
            return;
        }
        stream = s;
        s.gate(gate);
        int timeout = transport.settings().handshakeTimeoutMillis();
        handshakeTimer = transport.eventLoop().schedule(() -> close("no handshake within " + timeout + " ms"),
                timeout, TimeUnit.MILLISECONDS);
        transport.opened(this);
        if (mse != null) {
            byte[] first = mse.start();
            if (first.length > 0) {
                s.write(ByteBuffer.wrap(first));
            }
        }
        payloadBegins();
    }

    /** Once the payload stream may begin (at once without MSE), a dialler sends its handshake. */
    private void payloadBegins() {
        if (!handshakeSent && expected != null && (mse == null || mse.ready())) {
            handshakeSent = true;
            sendHandshake(expected);
        }
    }

    @Override
    public void onData(UtpStream s, ByteBuffer data) {
        if (closed) {
            return;
        }
        lastRead = System.nanoTime();
        if (mse == null) {
            arrived(data);
            return;
        }
        try {
            mse.receive(data, reply -> {
                synchronized (sendLock) {
                    s.write(ByteBuffer.wrap(reply));
                }
            }, this::arrived);
            payloadBegins();
        } catch (WireException e) {
            LOG.info("peer {}: {}", remoteAddress(), e.getMessage());
            close(e.getMessage());
        }
    }

    /** Payload bytes: to the decoder, or held while the engine paused reading. */
    private void arrived(ByteBuffer data) {
        if (closed) {
            return;
        }
        payloadBegins(); // before the decoder hears the peer's handshake and the engine starts sending
        if (paused || !held.isEmpty() || gate.downloadWaitNanos() > 0) {
            hold(data);
            // Not a timer for a wait asked for again: the budget may have refilled meanwhile, and a
            // wait of 0 scheduled nothing, so the held bytes were never read (a stall at 10 MiB/s).
            readHeld();
            return;
        }
        gate.downloaded(data.remaining());
        feed(data);
    }

    /** Reads what was held as far as the engine and the rate limits let it; the sender hears the window opened. */
    private void readHeld() {
        int before = heldBytes;
        boolean read = false;
        while (!paused && !closed && !held.isEmpty()) {
            long wait = gate.downloadWaitNanos();
            if (wait > 0) {
                readHeldLater(wait);
                break;
            }
            ByteBuffer next = held.removeFirst();
            heldBytes -= next.remaining();
            gate.downloaded(next.remaining());
            read = true;
            feed(next);
        }
        if (read && before >= WINDOW_UPDATE && stream != null) {
            stream.windowOpened(); // a window shrunk this far is worth a STATE; smaller ones ride on the next ACK
        }
    }

    /** One read of the held bytes at a time waits for the rate limits, on the event loop's timer. */
    private void readHeldLater(long nanos) {
        if (readScheduled || paused) {
            return;
        }
        readScheduled = true;
        transport.eventLoop().schedule(() -> {
            readScheduled = false;
            readHeld();
        }, Math.max(nanos, 100_000), TimeUnit.NANOSECONDS);
    }

    @Override
    public int unread() {
        return heldBytes;
    }

    /** Keeps what arrives while the engine paused reading (uTP has no socket buffer to leave it in). */
    private void hold(ByteBuffer data) {
        if (heldBytes + data.remaining() > PAUSED_LIMIT) {
            close("peer sent more than " + PAUSED_LIMIT + " bytes while reading was paused");
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        held.addLast(copy);
        heldBytes += copy.remaining();
    }

    private void feed(ByteBuffer data) {
        try {
            decoder.feed(data);
        } catch (WireException e) {
            if (!closed) {
                LOG.info("peer {} violated the protocol, closing: {}", remoteAddress(), e.getMessage());
                close("protocol violation: " + e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.warn("peer {}: handler failed", remoteAddress(), e);
            close("handler failed: " + e);
        }
    }

    @Override
    public void onClosed(UtpStream s, String reason) {
        ended(withMseStep(reason));
    }

    /** The peer closed: it will send nothing more, so the connection is over (our FIN goes out as it may). */
    @Override
    public void onPeerFinished(UtpStream s) {
        close(withMseStep("closed by peer"));
    }

    /** The reason, with where the MSE handshake stopped if it did not finish (a peer refusing it closes). */
    private String withMseStep(String reason) {
        if (mse != null) {
            try {
                mse.ended();
            } catch (WireException e) {
                return reason + " (" + e.getMessage() + ")";
            }
        }
        return reason;
    }

    /** The connection's end, told once: to the dialler's future and to the torrent's handler. */
    private void ended(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        decoder.stop(reason);
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        held.clear();
        transport.closed(this);
        connected.completeExceptionally(new IOException(reason));
        if (handler != null) {
            PeerHandler h = handler;
            handler = null;
            h.onClosed(reason);
        }
    }

    /** Keep-alive and idle check, on the event loop. */
    void tick(long now) {
        if (now - lastRead > TimeUnit.MILLISECONDS.toNanos(transport.settings().idleTimeoutMillis())) {
            close("nothing received for " + transport.settings().idleTimeoutMillis() + " ms");
        } else if (now - lastWrite > TimeUnit.MILLISECONDS.toNanos(transport.settings().keepAliveIntervalMillis())) {
            send(WireEncoder.KEEP_ALIVE_LENGTH, WireEncoder::keepAlive);
        }
        updateWritable();
    }

    /** Tells the handler when the stream's queue crossed its marks (checked on each write and tick). */
    private void updateWritable() {
        UtpStream s = stream;
        if (s == null) {
            return;
        }
        int pending = s.pendingBytes();
        boolean now = writable ? pending < transport.settings().writeHighWaterMark()
                : pending <= transport.settings().writeLowWaterMark();
        if (now != writable) {
            writable = now;
            PeerHandler h = handler;
            if (h != null) {
                transport.eventLoop().execute(() -> h.onWritabilityChanged(now));
            }
        }
    }

    // ---- handshake ----

    private void sendHandshake(InfoHash infoHash) {
        send(Handshake.LENGTH, b -> WireEncoder.handshake(b,
                HandshakeCheck.ours(infoHash, transport.localPeerId(), transport.settings().dht(), transport::torrent)));
    }

    @Override
    public void onHandshake(Handshake h) throws WireException {
        InfoHash infoHash = h.infoHash();
        TorrentPeers torrent = HandshakeCheck.torrentOf(h, expected, transport.localPeerId(), transport::torrent);
        if (expected == null) {
            sendHandshake(infoHash);
        }
        remote = h;
        handshakeTimer.cancel(false);
        handshakeTimer = null;
        pieceCount = torrent.pieceCount();
        decoder.pieceCount(pieceCount);
        decoder.fastExtension(fastExtension());
        gate.torrent(transport.limits(infoHash));
        handler = torrent.connected(this);
        if (handler == null) {
            close("refused by the torrent");
            return;
        }
        decoder.listener(handler);
        connected.complete(this);
    }

    // ---- PeerConnection ----

    @Override
    public InetSocketAddress remoteAddress() {
        UtpStream s = stream;
        return s == null ? null : s.remoteAddress();
    }

    @Override
    public Handshake remoteHandshake() {
        return remote;
    }

    @Override
    public boolean encrypted() {
        return mse != null && mse.encrypted();
    }

    @Override
    public boolean utp() {
        return true;
    }

    @Override
    public ExtendedHandshake remoteExtendedHandshake() {
        return decoder.remoteExtendedHandshake();
    }

    @Override
    public void pieceCount(int pieces) {
        pieceCount = pieces;
        transport.run(() -> decoder.pieceCount(pieces));
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public void pauseReading() {
        transport.run(() -> paused = true);
    }

    @Override
    public void resumeReading() {
        transport.run(() -> {
            paused = false;
            readHeld();
        });
    }

    @Override
    public void bitfield(RoaringBitmap pieces) {
        int count = pieceCount;
        if (count < 0) {
            throw new IllegalStateException("bitfield needs the piece count");
        }
        send(WireEncoder.bitfieldLength(count), b -> WireEncoder.bitfield(b, pieces, count));
    }

    @Override
    public void request(int piece, int begin, int length) {
        send(WireEncoder.BLOCK_REF_LENGTH, b -> WireEncoder.request(b, piece, begin, length));
    }

    @Override
    public void piece(int piece, int begin, ByteBuffer block) {
        send(WireEncoder.PIECE_HEADER_LENGTH + block.remaining(), b -> WireEncoder.piece(b, piece, begin, block));
    }

    @Override
    public void piece(int piece, int begin, FileChannel file, long position, int length) {
        piece(piece, begin, file, position, length, null);
    }

    /** uTP has no sendfile: the block is read here (the caller's disk thread) and sent as from memory. */
    @Override
    public void piece(int piece, int begin, FileChannel file, long position, int length, Runnable done) {
        try {
            ByteBuffer block = ByteBuffer.allocate(length);
            while (block.hasRemaining()) {
                if (file.read(block, position + block.position()) < 0) {
                    throw new IOException("file ends before the block's " + length + " bytes");
                }
            }
            piece(piece, begin, block.flip());
        } catch (IOException e) {
            // As a failed send on TCP: the connection ends, the caller's upload path is not disturbed.
            close("cannot read block " + piece + "/" + begin + ": " + e.getMessage());
        } finally {
            if (done != null) {
                done.run();
            }
        }
    }

    @Override
    public void close(String reason) {
        transport.run(() -> {
            if (closed) {
                return;
            }
            ended(reason);
            if (stream != null) {
                stream.close();
            }
        });
    }

    // ---- writing ----

    /**
     * Encodes one message and hands it to the stream, which copies it on. A stream that refuses
     * (more than its bound waiting: the peer stopped taking data) ends the connection, since a
     * message cannot be dropped from the middle of the stream.
     */
    @Override
    public void send(int length, Consumer<ByteBuffer> encode) {
        UtpStream s = stream;
        if (s == null) {
            return;
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        encode.accept(out);
        out.clear();
        lastWrite = System.nanoTime();
        boolean queued;
        synchronized (sendLock) {
            if (mse != null) {
                if (!mse.ready()) {
                    return; // nothing of the payload stream before the MSE handshake ends (a keep-alive)
                }
                mse.encrypt(out);
            }
            queued = s.write(out);
        }
        if (!queued) {
            close("send queue over " + UtpStream.PENDING_LIMIT + " bytes");
            return;
        }
        if (writable && s.pendingBytes() >= transport.settings().writeHighWaterMark()) {
            transport.run(this::updateWritable);
        }
    }

    @Override
    public String toString() {
        return "UtpPeerConnection[" + remoteAddress() + "]";
    }
}
