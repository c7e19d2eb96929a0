package io.piecework.transport.utp.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One uTP connection, sans-IO: packets and application bytes in; packets, application bytes and
 * the end of the connection out through {@link Output}; time passed in by the caller, in
 * microseconds of a monotonic clock. Not thread-safe: the transport drives each socket from one
 * event loop, and calls {@link #tick} at {@link #deadline}.
 *
 * <p>Sequence numbers follow libtorrent (checked against 2.0.8 on loopback): an ACK-only STATE
 * carries the next sequence number to send without using it, so the STATE that accepts a SYN
 * says {@code seq_nr = s}, the acceptor's first DATA is {@code s} too, and the initiator takes
 * {@code s - 1} as received. (BEP 29's diagram increments on that STATE; libtorrent does not,
 * and it is the peer that must understand us.)
 */
public final class UtpSocket {
    private static final Logger LOG = LoggerFactory.getLogger(UtpSocket.class);
    /** Where a socket's results go. */
    public interface Output {
        void send(Packet packet);

        /** Application bytes, in order; the buffer is valid only during the call. */
        void received(ByteBuffer data);

        /** The connection ended; nothing more comes from this socket. */
        void closed(String reason);

        /**
         * The peer's FIN arrived with every byte before it: it sends nothing more. {@link #closed}
         * comes only once our FIN is acknowledged, and libtorrent, having closed, never
         * acknowledges it: a user waiting for that would wait out the retries.
         */
        default void peerFinished() {
        }

        /**
         * Bytes received that the application holds unread (reading paused, or a rate limit):
         * they come off the receive window we advertise, so the sender waits instead of
         * overrunning the reader. {@link #windowOpened} tells the sender when they are read.
         */
        default int unread() {
            return 0;
        }
    }

    public enum State { SYN_SENT, SYN_RECEIVED, CONNECTED, CLOSED }

    /** Payload per packet: 20 header bytes + this fit a 1500-byte MTU with IP and UDP headers to spare. */
    static final int MAX_PAYLOAD = 1380;
    /**
     * The receive window we advertise, and how far past the next expected packet one is held.
     * It bounds what a sender may have in flight, so a download runs at most this per round
     * trip: at 512 packets (690 KB) libtorrent kept 390-490 packets in flight, all the window
     * allowed. 1 MiB as libtorrent advertises; held bytes only while a gap waits to be filled.
     */
    static final int RECEIVE_RING = 1024;
    static final int RECEIVE_CAPACITY = 1 << 20;
    static final int MAX_WINDOW = 1 << 20;
    /** Application bytes accepted but not yet in packets; {@link #write} takes no more. */
    static final int SEND_QUEUE_LIMIT = 1 << 20;
    /** Timeouts in a row, each doubling the wait, before the peer is taken for gone. */
    static final int MAX_TIMEOUTS = 6;
    static final int MAX_SYN_TIMEOUTS = 3;

    private final Output out;
    private final int receiveId;
    private final int sendId;
    private final SendBuffer flight = new SendBuffer();
    private final Ledbat ledbat = new Ledbat(2 * (UtpCodec.HEADER + MAX_PAYLOAD), MAX_WINDOW);
    private final Rtt rtt = new Rtt();
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private State state;
    private ReceiveBuffer receive;
    private int seqNr;
    private int queuedBytes;
    private int peerWindow = RECEIVE_CAPACITY;
    private int replyMicros;
    private long deadline = Long.MAX_VALUE;
    private int timeouts;
    private long backoff = 1;
    private boolean closing;
    private boolean finSent;
    /** DATA arrived that no packet of ours has acknowledged yet (see {@link #sendPendingAck}). */
    private boolean ackPending;
    private Integer eofSeq;

    private UtpSocket(Output out, int receiveId, int sendId, int seqNr, State state) {
        this.out = out;
        this.receiveId = receiveId & 0xFFFF;
        this.sendId = sendId & 0xFFFF;
        this.seqNr = seqNr & 0xFFFF;
        this.state = state;
    }

    /** Opens a connection: sends the SYN under {@code receiveId}; the peer answers to it. */
    public static UtpSocket connect(int receiveId, int initialSeq, long nowMicros, Output out) {
        UtpSocket socket = new UtpSocket(out, receiveId, receiveId + 1, initialSeq, State.SYN_SENT);
        socket.sendNew(PacketType.SYN, ByteBuffer.allocate(0), nowMicros);
        socket.armTimer(nowMicros, true);
        return socket;
    }

    /** Accepts a peer's SYN: answers with a STATE; the peer's DATA then connects. */
    public static UtpSocket accept(Packet syn, int initialSeq, long nowMicros, Output out) {
        UtpSocket socket = new UtpSocket(out, syn.connectionId() + 1, syn.connectionId(), initialSeq,
                State.SYN_RECEIVED);
        socket.receive = new ReceiveBuffer(syn.seqNr(), RECEIVE_RING, RECEIVE_CAPACITY);
        socket.heard(syn, nowMicros);
        socket.sendState(nowMicros);
        return socket;
    }

    public State state() {
        return state;
    }

    /** The connection id this socket's packets arrive under (the transport demultiplexes by it). */
    public int receiveId() {
        return receiveId;
    }

    /** When {@link #tick} must run next, in the caller's microseconds; {@link Long#MAX_VALUE} if never. */
    public long deadline() {
        return deadline;
    }

    /** Queues application bytes (copied) and sends what the window allows; returns how many were taken. */
    public int write(ByteBuffer data, long nowMicros) {
        int take = Math.min(data.remaining(), room());
        if (take > 0) {
            ByteBuffer copy = ByteBuffer.allocate(take);
            copy.put(data.slice().limit(take)).flip();
            data.position(data.position() + take);
            offer(copy);
            flush(nowMicros);
        }
        return take;
    }

    /**
     * Queues application bytes without sending them yet; returns how many were taken, 0 while
     * the queue is full or the socket is closing. The socket keeps a view of the bytes, not a
     * copy (packets of a block are slices of it): the caller hands them over and must not change
     * them. {@link #sendQueued} sends them, so several small writes share packets (a batch of
     * 17-byte requests took a packet each).
     */
    public int offer(ByteBuffer data) {
        int take = Math.min(data.remaining(), room());
        if (take > 0) {
            queue.addLast(data.slice().limit(take));
            data.position(data.position() + take);
            queuedBytes += take;
        }
        return take;
    }

    private int room() {
        return state == State.CLOSED || closing ? 0 : SEND_QUEUE_LIMIT - queuedBytes;
    }

    /** Sends what is queued as far as the windows allow (after {@link #offer}). */
    public void sendQueued(long nowMicros) {
        if (state != State.CLOSED) {
            flush(nowMicros);
        }
    }

    /** Ends the connection once the queued bytes are sent: a FIN follows them. */
    public void close(long nowMicros) {
        if (state == State.CLOSED) {
            return;
        }
        closing = true;
        flush(nowMicros);
    }

    /** One packet for this socket (its connection id already matched). */
    public void receive(Packet packet, long nowMicros) {
        if (state == State.CLOSED) {
            return;
        }
        if (packet.type() == PacketType.RESET) {
            end("reset by peer");
            return;
        }
        heard(packet, nowMicros);
        if (state == State.SYN_SENT) {
            if (packet.type() != PacketType.STATE || Seq.minus(packet.ackNr(), flight.oldest().seq) != 0) {
                return;
            }
            receive = new ReceiveBuffer(Seq.plus(packet.seqNr(), -1), RECEIVE_RING, RECEIVE_CAPACITY);
            state = State.CONNECTED;
        } else if (packet.type() == PacketType.SYN) {
            // Our STATE was lost and the peer asks again.
            sendState(nowMicros);
            return;
        } else if (state == State.SYN_RECEIVED) {
            state = State.CONNECTED;
        }
        int flightBefore = flight.flightBytes();
        int acked = flight.ack(packet, nowMicros, rtt);
        if (acked > 0) {
            ledbat.acked(acked, flightBefore);
            timeouts = 0;
            backoff = 1;
        }
        if (flight.lossFound()) {
            ledbat.lost();
        }
        if (packet.type() == PacketType.DATA || packet.type() == PacketType.FIN) {
            if (packet.type() == PacketType.FIN && eofSeq == null) {
                eofSeq = packet.seqNr();
            }
            receive.offer(packet.seqNr(), packet.payload(), this::deliver);
            ackPending = true;
        }
        if (eofSeq != null && receive.ackNr() == eofSeq && !closing) {
            closing = true;
            out.peerFinished();
        }
        flush(nowMicros);
        if (finSent && flight.isEmpty() && eofSeq != null && receive.ackNr() == eofSeq) {
            sendPendingAck(nowMicros);
            end("closed");
        }
        armTimer(nowMicros, acked > 0);
    }

    /**
     * Acknowledges the DATA received since the last packet we sent, if any: the transport calls
     * this once it has read the datagrams that arrived together (as libtorrent ACKs once per
     * batch it drains), so a burst of packets costs one STATE, not one each, and the last one
     * carries the selective ACK of everything held.
     */
    public void sendPendingAck(long nowMicros) {
        if (ackPending && state != State.CLOSED) {
            sendState(nowMicros);
        }
    }

    /** Whether {@link #sendPendingAck} has something to send. */
    public boolean ackPending() {
        return ackPending && state != State.CLOSED;
    }

    /** The application read what it held: a STATE tells the sender the receive window is open again. */
    public void windowOpened(long nowMicros) {
        if (state == State.CONNECTED && receive != null) {
            sendState(nowMicros);
        }
    }

    /** The receive window to advertise: the buffer's room less what the application holds unread. */
    private int advertisedWindow() {
        return Math.max(0, (receive == null ? RECEIVE_CAPACITY : receive.window()) - out.unread());
    }

    /** Runs the timeout: the packets in flight are taken for lost, the window falls to one packet. */
    public void tick(long nowMicros) {
        if (state == State.CLOSED || nowMicros < deadline) {
            return;
        }
        deadline = Long.MAX_VALUE;
        if (flight.isEmpty()) {
            return;
        }
        timeouts++;
        if (LOG.isDebugEnabled()) {
            // Off by default: a stall is diagnosed by what was in flight and what let nothing go.
            LOG.debug("uTP {} timeout {} (waited {} us): {}", receiveId, timeouts, rtt.timeoutMicros() * backoff, this);
        }
        if (timeouts > (state == State.SYN_SENT ? MAX_SYN_TIMEOUTS : MAX_TIMEOUTS)) {
            out.send(Packet.control(PacketType.RESET, sendId, (int) nowMicros, replyMicros, 0, seqNr, ackNr()));
            end("timed out after " + (timeouts - 1) + " retries");
            return;
        }
        ledbat.timedOut(UtpCodec.HEADER + MAX_PAYLOAD);
        flight.timedOut();
        backoff = Math.min(backoff * 2, 64);
        flush(nowMicros);
        armTimer(nowMicros, true);
    }

    private void deliver(ByteBuffer data) {
        if (data.hasRemaining()) {
            out.received(data);
        }
    }

    private void heard(Packet packet, long nowMicros) {
        replyMicros = (int) nowMicros - packet.timestampMicros();
        ledbat.delaySample(packet.timestampDifferenceMicros(), nowMicros);
        peerWindow = packet.windowSize() & 0x7FFF_FFFF;
    }

    private void flush(long nowMicros) {
        for (SendBuffer.Sent s = flight.toResend(); s != null; s = flight.toResend()) {
            // A fast resend (still counted in flight) always goes; after a timeout the packets
            // go again as the window allows, the first one regardless.
            int window = Math.min(ledbat.window(), peerWindow);
            if (!s.counted && flight.flightBytes() > 0 && flight.flightBytes() + s.bytes() > window) {
                break;
            }
            flight.resent(s, nowMicros);
            if (LOG.isDebugEnabled()) {
                LOG.debug("uTP {} resends {} (transmission {}), {} B in flight", receiveId, s.seq, s.transmissions,
                        flight.flightBytes());
            }
            transmit(s, nowMicros);
        }
        if (state != State.CONNECTED) {
            return;
        }
        while (queuedBytes > 0) {
            int size = Math.min(MAX_PAYLOAD, queuedBytes);
            int window = Math.min(ledbat.window(), peerWindow);
            // With nothing in flight one packet always goes: it probes a closed window.
            if (!flight.isEmpty() && flight.flightBytes() + UtpCodec.HEADER + size > window) {
                break;
            }
            sendNew(PacketType.DATA, take(size), nowMicros);
        }
        if (closing && queuedBytes == 0 && !finSent) {
            finSent = true;
            sendNew(PacketType.FIN, ByteBuffer.allocate(0), nowMicros);
        }
        armTimer(nowMicros, false);
    }

    private void sendNew(PacketType type, ByteBuffer payload, long nowMicros) {
        SendBuffer.Sent s = new SendBuffer.Sent(type, seqNr, payload);
        seqNr = Seq.plus(seqNr, 1);
        flight.sent(s, nowMicros);
        transmit(s, nowMicros);
    }

    private void transmit(SendBuffer.Sent s, long nowMicros) {
        int id = s.type == PacketType.SYN ? receiveId : sendId;
        int window = advertisedWindow();
        if (receive != null && !receive.holdsEarly()) {
            // Its ack_nr says all there is to say: no selective ACK is owed.
            ackPending = false;
        }
        out.send(new Packet(s.type, id, (int) nowMicros, replyMicros, window, s.seq, ackNr(), null, s.payload));
    }

    private void sendState(long nowMicros) {
        ackPending = false;
        out.send(new Packet(PacketType.STATE, sendId, (int) nowMicros, replyMicros, advertisedWindow(), seqNr,
                receive.ackNr(), receive.selectiveAck(), null));
    }

    private int ackNr() {
        return receive == null ? 0 : receive.ackNr();
    }

    /** The next {@code size} queued bytes: a slice when one buffer holds them, else a copy. */
    private ByteBuffer take(int size) {
        queuedBytes -= size;
        ByteBuffer head = queue.peekFirst();
        if (head.remaining() >= size) {
            ByteBuffer packet = head.slice().limit(size);
            head.position(head.position() + size);
            if (!head.hasRemaining()) {
                queue.removeFirst();
            }
            return packet;
        }
        ByteBuffer packet = ByteBuffer.allocate(size);
        while (packet.hasRemaining()) {
            head = queue.peekFirst();
            int n = Math.min(head.remaining(), packet.remaining());
            packet.put(head.slice().limit(n));
            head.position(head.position() + n);
            if (!head.hasRemaining()) {
                queue.removeFirst();
            }
        }
        return packet.flip();
    }

    /** Restarts the timeout when something is in flight and it is unset or progress was made. */
    private void armTimer(long nowMicros, boolean restart) {
        if (state == State.CLOSED || flight.isEmpty()) {
            deadline = Long.MAX_VALUE;
        } else if (restart || deadline == Long.MAX_VALUE) {
            deadline = nowMicros + rtt.timeoutMicros() * backoff;
        }
    }

    /** The state a stall is diagnosed by: what is queued, in flight, and what lets more go. */
    @Override
    public String toString() {
        return state + " seq " + seqNr + " ack " + ackNr() + ", queued " + queuedBytes + " B, in flight "
                + flight.flightBytes() + " B, window " + ledbat.window() + " B, peer window " + peerWindow
                + " B, timeouts " + timeouts + ", deadline " + (deadline == Long.MAX_VALUE ? "none" : deadline);
    }

    private void end(String reason) {
        state = State.CLOSED;
        deadline = Long.MAX_VALUE;
        queue.clear();
        queuedBytes = 0;
        out.closed(reason);
    }
}
